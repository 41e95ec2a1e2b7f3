import { UserError } from '../../errors'
import { BASE_IMAGES } from '../base-images'
import { cmd, copyList, header, lines, port } from '../dockerfile-text'
import type { Detector } from '../recipe'
import { pickImage } from '../versions'

/**
 * Ruby: Gemfile (and Gemfile.lock), the version from .ruby-version, the Gemfile's `ruby` line or the
 * lock's RUBY VERSION (its major.minor), gems built in a first stage with compilers, the app run by a
 * non-root user: Rails (`bin/rails server`), a rack app (config.ru: puma when the Gemfile has it, else
 * rackup), or the Procfile's web line.
 */

const gem = (gemfile: string, name: string) => new RegExp(`^\\s*gem\\s+["']${name}["']`, 'm').test(gemfile)

/** Debian packages for gems with native parts: to build them, and to run them. */
const NATIVE: { gem: string; build: string; run: string }[] = [
  { gem: 'pg', build: 'libpq-dev', run: 'libpq5' },
  { gem: 'mysql2', build: 'default-libmysqlclient-dev', run: 'libmariadb3' },
  { gem: 'sqlite3', build: 'libsqlite3-dev', run: 'libsqlite3-0' },
]

export const detectRuby: Detector = async (ctx) => {
  const { top, files } = ctx
  if (!top.has('Gemfile')) return null
  const gemfile = (await files.read('Gemfile')) ?? ''
  const locked = top.has('Gemfile.lock')
  let rule: { text: string; from: string } | null = null
  const version = async (file: string, pattern: RegExp) =>
    top.has(file) ? pattern.exec((await files.read(file)) ?? '')?.[1] : undefined
  const found =
    [
      { from: '.ruby-version', v: await version('.ruby-version', /^(?:ruby-)?(\d+\.\d+)/) },
      { from: 'Gemfile ruby', v: /^\s*ruby\s+["'](?:~>\s*)?(\d+\.\d+)/m.exec(gemfile)?.[1] },
      {
        from: 'Gemfile.lock RUBY VERSION',
        v: await version('Gemfile.lock', /RUBY VERSION\s+ruby (\d+\.\d+)/),
      },
    ].find((f) => f.v !== undefined) ?? null
  if (found) rule = { text: found.v!, from: found.from }
  const picked = pickImage(BASE_IMAGES.ruby, rule)
  if ('error' in picked) {
    throw new UserError(
      'NO_BASE_IMAGE',
      `${picked.error}: no Ruby image Helvetia pins fits.`,
      'Use one of those versions (.ruby-version), or add a Dockerfile of your own.',
    )
  }
  const image = picked.image.image
  const rails = gem(gemfile, 'rails') || (await files.list('config')).includes('application.rb')
  const web = ctx.procfile.find((p) => p.name === 'web')
  let start: string
  let startEvidence: string
  if (web) {
    start = web.command
    startEvidence = `Procfile: web: ${web.command}`
  } else if (rails) {
    start = 'bin/rails server -b 0.0.0.0 -p $PORT'
    startEvidence = 'Rails: bin/rails server'
  } else if (top.has('config.ru')) {
    start = gem(gemfile, 'puma')
      ? 'bundle exec puma -b tcp://0.0.0.0:$PORT'
      : 'bundle exec rackup --host 0.0.0.0 --port $PORT'
    startEvidence = `config.ru: ${start.split(' ').slice(0, 3).join(' ')}`
  } else {
    throw new UserError(
      'NO_START_COMMAND',
      `A Ruby app in ${ctx.files.where}, but nothing says how to start it.`,
      'Add a Procfile with a web line (`web: bundle exec ruby app.rb -p $PORT`), or a config.ru for a rack app.',
    )
  }
  const native = NATIVE.filter((n) => gem(gemfile, n.gem))
  const assets = rails && (gem(gemfile, 'sprockets-rails') || gem(gemfile, 'propshaft'))
  const bundleEnv = `ENV BUNDLE_PATH=/usr/local/bundle BUNDLE_WITHOUT=development:test${locked ? ' BUNDLE_DEPLOYMENT=1' : ''}`
  const apt = (packages: string[]) =>
    `RUN apt-get update && apt-get install -y --no-install-recommends ${packages.join(' ')} && rm -rf /var/lib/apt/lists/*`
  const dockerfile = lines(
    header(rails ? 'a Rails app' : 'a Ruby app'),
    [
      `FROM ${image} AS build`,
      apt(['build-essential', 'libyaml-dev', ...native.map((n) => n.build)]),
      'WORKDIR /app',
      bundleEnv,
      '# Gems first: this layer is reused until the Gemfile or its lock changes.',
      copyList(['Gemfile', ...(locked ? ['Gemfile.lock'] : [])], './'),
      'RUN bundle install',
      'COPY . .',
      ...(assets ? ['RUN SECRET_KEY_BASE_DUMMY=1 RAILS_ENV=production bin/rails assets:precompile'] : []),
    ],
    '',
    [
      `FROM ${image}`,
      ...(native.length > 0 ? [apt(native.map((n) => n.run))] : []),
      'RUN useradd --system --uid 10001 --home-dir /app app',
      'WORKDIR /app',
      bundleEnv,
      'ENV RACK_ENV=production RAILS_ENV=production RAILS_LOG_TO_STDOUT=1',
      'COPY --from=build /usr/local/bundle /usr/local/bundle',
      'COPY --from=build --chown=app:app /app /app',
      'USER app',
    ],
    port(ctx.port),
    cmd(start),
  )
  return {
    stack: 'ruby',
    evidence: [
      locked
        ? 'Gemfile and Gemfile.lock: bundle install'
        : 'Gemfile without Gemfile.lock (commit it for repeatable builds)',
      picked.evidence,
      ...(native.length > 0 ? [`native gems: ${native.map((n) => n.gem).join(', ')}`] : []),
      startEvidence,
    ],
    dockerfile,
    baseImages: [image],
    start,
  }
}

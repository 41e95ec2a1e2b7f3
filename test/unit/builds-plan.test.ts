/**
 * Build plans of sources without a Dockerfile (src-main/core/builds): each stack's detection and its
 * generated Dockerfile against the fixtures in test/fixtures/builds/. A fixture's Dockerfile is compared
 * whole with test/fixtures/builds/expected/NAME.Dockerfile (`UPDATE_BUILD_FIXTURES=1` writes them
 * again after a deliberate change: review the diff), and every generated one is checked for what each
 * must have: pinned images from the one table, the dependency layer before the source, a non-root
 * user, PORT and EXPOSE, a start command.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { BuildPlan } from '../../src-main/api/builds'
import { BASE_IMAGES, TOOL_IMAGES } from '../../src-main/core/builds/base-images'
import { DETECTION_READS, planBuild } from '../../src-main/core/builds/build-plan'
import { parseProcfile } from '../../src-main/core/builds/procfile'
import { folderSource, memorySource } from '../../src-main/core/builds/source-files'
import { satisfies } from '../../src-main/core/builds/versions'
import { resolveAppSpec } from '../../src-main/core/deploy/app-spec'
import {
  buildKey,
  deployOptions,
  deployRequestArchive,
  newDeploymentId,
} from '../../src-main/core/deploy/deploy-request'
import { UserError } from '../../src-main/core/errors'

const FIXTURES = fileURLToPath(new URL('../fixtures/builds', import.meta.url))
const EXPECTED = join(FIXTURES, 'expected')
const PORT = 3000

const plan = (name: string, port = PORT): Promise<BuildPlan> =>
  planBuild(folderSource(join(FIXTURES, name)), { port })

async function refused(name: string, code: string, pattern: RegExp): Promise<UserError> {
  const error = await plan(name).then(
    () => assert.fail(`${name} was planned`),
    (e: unknown) => e,
  )
  assert.ok(error instanceof UserError, String(error))
  assert.equal(error.code, code, error.message)
  assert.match(`${error.message} ${error.hint}`, pattern)
  return error
}

const PINNED = new Set<string>([
  ...Object.values(BASE_IMAGES).flatMap((images) => images.map((i) => i.image)),
  ...Object.values(TOOL_IMAGES),
])

/** What every generated Dockerfile must have, whatever its stack. */
function checkGenerated(name: string, p: BuildPlan): void {
  const text = p.dockerfile
  const froms = [...text.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]!)
  for (const image of froms) assert.ok(PINNED.has(image), `${name}: ${image} is not in the pinned table`)
  assert.deepEqual(new Set(p.baseImages), new Set(froms), `${name}: baseImages are the FROMs`)
  for (const image of froms)
    assert.match(image, /^[a-z]+:\d+\.\d+(-[a-z-]+)?$/, `${name}: ${image} is an exact tag`)
  const last = text.slice(text.lastIndexOf('\nFROM '))
  const user = /^USER (\S+)/m.exec(last)?.[1]
  assert.ok(user && !/^(root|0)(:|$)/.test(user), `${name}: the final stage runs as a non-root user`)
  assert.match(last, new RegExp(`^ENV PORT=${p.port}$`, 'm'), `${name}: PORT`)
  assert.match(last, new RegExp(`^EXPOSE ${p.port}$`, 'm'), `${name}: EXPOSE`)
  assert.ok(p.start && last.includes(`CMD exec ${p.start}`), `${name}: starts with ${p.start}`)
  // The dependency layer: the manifests are copied, and installed, before the whole source.
  const whole = text.search(/^COPY (--chown=\S+ )?\. /m)
  const manifests = text.search(/^COPY (--chown=\S+ )?\["/m)
  if (whole !== -1 && manifests !== -1) assert.ok(manifests < whole, `${name}: manifests first`)
  assert.ok(p.generated && p.evidence.length > 1)
}

/** Each fixture's generated Dockerfile, whole. */
test('every fixture that builds: its generated Dockerfile is the expected one, with what each must have', async () => {
  const update = process.env.UPDATE_BUILD_FIXTURES === '1'
  if (update) mkdirSync(EXPECTED, { recursive: true })
  const names = readdirSync(FIXTURES).filter((n) => n !== 'expected')
  let compared = 0
  for (const name of names) {
    const p = await plan(name).catch((e: unknown) => (e instanceof UserError ? null : Promise.reject(e)))
    if (!p?.generated) continue
    checkGenerated(name, p)
    const file = join(EXPECTED, `${name}.Dockerfile`)
    if (update) writeFileSync(file, p.dockerfile)
    assert.ok(existsSync(file), `${file} is missing: run with UPDATE_BUILD_FIXTURES=1 and review it`)
    assert.equal(p.dockerfile, readFileSync(file, 'utf8'), `${name}'s Dockerfile`)
    compared++
  }
  assert.ok(compared >= 11, `${compared} fixtures compared`)
  // No expected file without its fixture.
  for (const file of readdirSync(EXPECTED)) assert.ok(names.includes(file.replace(/\.Dockerfile$/, '')), file)
})

test('node: each lock file picks its package manager; the version comes from .nvmrc, .node-version or engines', async () => {
  const npm = await plan('node-npm')
  assert.equal(npm.stack, 'node')
  assert.deepEqual(npm.baseImages, ['node:20.18-bookworm-slim'])
  assert.ok(
    npm.evidence.includes('engines.node: >=20 <21 → node:20.18-bookworm-slim'),
    npm.evidence.join('\n'),
  )
  assert.equal(npm.start, 'npm start')
  // The build needs the development dependencies, the image keeps the production ones; .npmrc is read by the install.
  assert.match(
    npm.dockerfile,
    /COPY --chown=node:node \["package.json", "package-lock.json", ".npmrc", ".\/"\]\nRUN npm ci\n/,
  )
  assert.match(npm.dockerfile, /RUN npm run build\nRUN npm prune --omit=dev\n/)

  const yarn = await plan('node-yarn')
  assert.deepEqual(yarn.baseImages, ['node:18.20-bookworm-slim'])
  assert.ok(yarn.evidence.includes('.nvmrc v18.19.0: 18 → node:18.20-bookworm-slim'))
  assert.match(yarn.dockerfile, /RUN yarn install --frozen-lockfile --production\n/)
  assert.equal(yarn.start, 'yarn start')

  const pnpm = await plan('node-pnpm')
  assert.deepEqual(pnpm.baseImages, ['node:22.11-bookworm-slim'])
  assert.match(pnpm.dockerfile, /^RUN corepack enable\n/m)
  assert.match(pnpm.dockerfile, /RUN pnpm install --frozen-lockfile --prod\n/)
  assert.equal(pnpm.start, 'node dist/main.js')

  await refused('node-too-new', 'NO_BASE_IMAGE', /engines\.node asks for >=24.*22\.11\.0/)
  await refused('node-invalid', 'MANIFEST_INVALID', /package\.json .* not valid JSON/)
})

test('a Procfile: its web line starts the app, and its types are the processes', async () => {
  const p = await plan('node-procfile')
  assert.equal(p.start, 'node web.js --port $PORT')
  assert.deepEqual(
    p.processes.map((x) => x.name),
    ['web', 'worker', 'release'],
  )
  assert.equal(p.processes[1]!.command, 'node worker.js')
  assert.deepEqual(parseProcfile('web:  a b \n\n# c\nbad line\nweb: again\nw-1:x'), [
    { name: 'web', command: 'a b' },
    { name: 'w-1', command: 'x' },
  ])
  // Without a Procfile, the one process is the generated web one.
  assert.deepEqual((await plan('static')).processes, [
    { name: 'web', command: 'caddy file-server --root /srv --listen :$PORT' },
  ])
})

test('python: requirements.txt, Poetry and uv; gunicorn or uvicorn; none is a clear error', async () => {
  const req = await plan('python-requirements')
  assert.deepEqual(req.baseImages, ['python:3.11-slim-bookworm'])
  assert.equal(req.start, 'gunicorn app:app --bind 0.0.0.0:$PORT')
  assert.match(
    req.dockerfile,
    /COPY \["requirements.txt", ".\/"\]\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY \. \./,
  )

  const poetry = await plan('python-poetry')
  assert.deepEqual(poetry.baseImages, ['python:3.13-slim-bookworm'])
  assert.equal(poetry.start, 'uvicorn main:app --host 0.0.0.0 --port $PORT')
  assert.match(poetry.dockerfile, /poetry==1\.8\.4/)

  const uv = await plan('python-uv')
  assert.deepEqual(uv.baseImages, ['python:3.12-slim-bookworm'])
  assert.equal(uv.start, 'gunicorn mysite.wsgi --bind 0.0.0.0:$PORT')
  assert.match(uv.dockerfile, /uv export --frozen --no-dev/)

  await refused('python-no-start', 'NO_START_COMMAND', /Procfile .*web: gunicorn/)
})

test('go, ruby and php', async () => {
  const go = await plan('go')
  assert.deepEqual(go.baseImages, ['golang:1.23-bookworm', 'debian:12.8-slim'])
  assert.match(go.dockerfile, /-o \/out\/shop \.\/cmd\/shop\n/)
  assert.equal(go.start, 'bin/shop')

  const rails = await plan('ruby-rails')
  assert.deepEqual(rails.baseImages, ['ruby:3.2-slim-bookworm'])
  assert.equal(rails.start, 'bin/rails server -b 0.0.0.0 -p $PORT')
  assert.match(rails.dockerfile, /libpq-dev/)
  assert.match(rails.dockerfile, /assets:precompile/)

  const rack = await plan('ruby-rack')
  assert.equal(rack.start, 'bundle exec rackup --host 0.0.0.0 --port $PORT')
  assert.ok(rack.evidence.some((e) => /without Gemfile\.lock/.test(e)))

  const php = await plan('php')
  assert.deepEqual(php.baseImages, ['php:8.3-apache-bookworm', 'composer:2.8'])
  assert.match(php.dockerfile, /APACHE_DOCUMENT_ROOT=\/var\/www\/html\/public/)
  assert.match(php.dockerfile, /Listen \$\{PORT\}/)
})

test('static: index.html served by Caddy; a build script’s output in a Node stage first', async () => {
  const site = await plan('static', 8080)
  assert.equal(site.stack, 'static')
  assert.deepEqual(site.baseImages, ['caddy:2.8-alpine'])
  assert.match(site.dockerfile, /^ENV PORT=8080\nEXPOSE 8080$/m)

  const spa = await plan('static-vite')
  assert.equal(spa.stack, 'static')
  assert.deepEqual(spa.baseImages, ['node:22.11-bookworm-slim', 'caddy:2.8-alpine'])
  assert.match(
    spa.dockerfile,
    /RUN npm run build\n\nFROM caddy:2\.8-alpine\nCOPY --from=build \/app\/dist \/srv\n/,
  )

  // The output folder from the build's own flag, else from a folder holding index.html.
  const outDir = memorySource(
    'x',
    new Map([['package.json', '{"scripts":{"build":"tsc && copy --outDir ./www/"}}']]),
  )
  assert.match((await planBuild(outDir, { port: 1 })).dockerfile, /COPY --from=build \/app\/www \/srv/)
  const built = memorySource(
    'y',
    new Map([
      ['package.json', '{"scripts":{"build":"make"}}'],
      ['public/index.html', '<p>'],
    ]),
  )
  assert.match((await planBuild(built, { port: 1 })).dockerfile, /COPY --from=build \/app\/public \/srv/)
  const unknown = memorySource('z', new Map([['package.json', '{"scripts":{"build":"make"}}']]))
  await assert.rejects(
    planBuild(unknown, { port: 1 }),
    (e: unknown) => e instanceof UserError && e.code === 'NO_START_COMMAND',
  )
})

test('a Dockerfile present always wins; nothing matched says what was looked for and what to add', async () => {
  const own = await plan('dockerfile')
  assert.equal(own.stack, 'dockerfile')
  assert.equal(own.generated, false)
  assert.equal(own.dockerfile, readFileSync(join(FIXTURES, 'dockerfile', 'Dockerfile'), 'utf8'))
  assert.deepEqual(own.baseImages, ['node:20-alpine', 'base'])
  // The app's own Dockerfile path.
  const custom = memorySource(
    'c',
    new Map([
      ['docker/web.Dockerfile', 'FROM x:1\n'],
      ['index.html', ''],
    ]),
  )
  assert.equal(
    (await planBuild(custom, { port: 1, dockerfile: 'docker/web.Dockerfile' })).stack,
    'dockerfile',
  )
  assert.equal((await planBuild(custom, { port: 1 })).stack, 'static')

  const error = await refused(
    'nothing',
    'NOTHING_TO_BUILD',
    /no Dockerfile.*package\.json.*requirements\.txt.*go\.mod.*Gemfile.*composer\.json.*index\.html/,
  )
  assert.match(error.hint ?? '', /Add a Dockerfile/)
})

test('the folder reader lists and reads inside the folder only, never through a link', async () => {
  const files = folderSource(join(FIXTURES, 'go'))
  assert.deepEqual(await files.list(''), ['cmd/', 'go.mod', 'go.sum', 'internal/'])
  assert.deepEqual(await files.list('cmd'), ['shop/'])
  assert.deepEqual(await files.list('missing'), [])
  assert.equal(await files.read('missing.txt'), null)
  assert.equal(await files.read('cmd'), null)
  const outside = mkdtempSync(join(tmpdir(), 'helvetia-builds-'))
  try {
    writeFileSync(join(outside, 'secret.json'), '{"scripts":{"start":"x"}}')
    mkdirSync(join(outside, 'app'))
    symlinkSync(join(outside, 'secret.json'), join(outside, 'app', 'package.json'))
    const linked = folderSource(join(outside, 'app'))
    assert.equal(await linked.read('package.json'), null)
    await assert.rejects(
      planBuild(linked, { port: 1 }),
      (e: unknown) => e instanceof UserError && e.code === 'NOTHING_TO_BUILD',
    )
  } finally {
    rmSync(outside, { recursive: true, force: true })
  }
  const mem = memorySource(
    'm',
    new Map([
      ['a/b/c.txt', 'x'],
      ['top', 'y'],
    ]),
  )
  assert.deepEqual(await mem.list(''), ['a/', 'top'])
  assert.deepEqual(await mem.list('a'), ['b/'])
})

test('version rules: exact, partial, wildcard, npm/Composer ranges and Python specifiers', () => {
  const cases: [string, string, boolean][] = [
    ['20', '20.18.1', true],
    ['20', '22.11.0', false],
    ['20.x', '20.18.1', true],
    ['>=18 <21', '20.18.1', true],
    ['>=18 <21', '22.11.0', false],
    ['^8.2', '8.3.14', true],
    ['^8.2', '9.0.0', false],
    ['~3.2.1', '3.2.6', true],
    ['~3.2.1', '3.3.6', false],
    ['18 || 22', '22.11.0', true],
    ['18 - 20', '20.18.1', true],
    ['18 - 20', '22.11.0', false],
    ['>=3.10,<3.13', '3.12.8', true],
    ['>=3.10,<3.13', '3.13.1', false],
    ['~=3.11', '3.13.1', true],
    ['~=3.11.0', '3.12.8', false],
    ['==3.12', '3.12.8', true],
    ['*', '1.0.0', true],
    ['>= 1.22.5', '1.23.4', true],
  ]
  for (const [rule, version, expected] of cases)
    assert.equal(satisfies(rule, version), expected, `${rule} ∋ ${version}`)
  assert.equal(satisfies('latest-ish', '1.0.0'), null)
})

test('detection reads only what DETECTION_READS names (a git commit’s files come from the server in one go)', async () => {
  for (const name of readdirSync(FIXTURES).filter((n) => n !== 'expected')) {
    const files = folderSource(join(FIXTURES, name))
    const listed: string[] = []
    const read: string[] = []
    const recording = {
      where: files.where,
      list: (dir: string) => (listed.push(dir), files.list(dir)),
      read: (path: string) => (read.push(path), files.read(path)),
    }
    await planBuild(recording, { port: PORT }).catch(() => null)
    for (const dir of listed)
      assert.ok((DETECTION_READS.folders as readonly string[]).includes(dir), `${name} lists ${dir}`)
    for (const path of read.filter((p) => p !== 'Dockerfile'))
      assert.ok((DETECTION_READS.files as readonly string[]).includes(path), `${name} reads ${path}`)
  }
})

test('a deploy request carries the generated Dockerfile, and its build key changes with it', () => {
  const spec = resolveAppSpec({ name: 'web' })
  const source = { kind: 'folder' as const, sourceId: 'a'.repeat(64) }
  const own = buildKey(spec, source)
  const one = buildKey(spec, source, 'FROM a:1\n')
  assert.notEqual(own, one)
  assert.notEqual(one, buildKey(spec, source, 'FROM a:2\n'))
  assert.equal(one, buildKey(spec, source, 'FROM a:1\n'))
  const request = (generatedDockerfile?: string) => ({
    id: newDeploymentId(),
    spec,
    domains: [{ host: 'web.example.com', https: true }],
    source: { kind: 'git' as const, url: 'https://example.com/r.git', commit: 'b'.repeat(40) },
    trigger: 'cli',
    ...(generatedDockerfile !== undefined ? { generatedDockerfile } : {}),
  })
  const names = (archive: Buffer) =>
    execFileSync('tar', ['-t'], { input: archive }).toString().split('\n').filter(Boolean)
  const withPlan = names(deployRequestArchive(request('FROM a:1\n')))
  assert.ok(withPlan.includes('generated.Dockerfile'), withPlan.join(' '))
  // The push template has it too: a pushed commit builds with the same plan.
  assert.ok(withPlan.some((p) => p.endsWith('/generated.Dockerfile') && p !== 'generated.Dockerfile'))
  assert.ok(!names(deployRequestArchive(request())).some((p) => p.endsWith('generated.Dockerfile')))
  assert.match(
    deployOptions(request('FROM a:1\n')),
    new RegExp(`^build_key=${buildKey(spec, request().source, 'FROM a:1\n')}$`, 'm'),
  )
})

test('the push side computes the same build key for a generated Dockerfile (deploy-push.sh, lib/rules.sh)', () => {
  const spec = resolveAppSpec({ name: 'web' })
  const commit = 'c'.repeat(40)
  const text = 'FROM a:1\nCMD exec x\n'
  const dir = mkdtempSync(join(tmpdir(), 'helvetia-push-key-'))
  try {
    writeFileSync(join(dir, 'generated.Dockerfile'), text)
    writeFileSync(join(dir, 'env'), '')
    writeFileSync(join(dir, 'build-args'), '')
    const rules = fileURLToPath(new URL('../../remote-scripts/lib/rules.sh', import.meta.url))
    // The lines of deploy-push.sh that make the key, run as they are written there.
    const push = readFileSync(
      fileURLToPath(new URL('../../remote-scripts/deploy-push.sh', import.meta.url)),
      'utf8',
    )
    const keyLines = /^\[ ! -f "\$template\/generated\.Dockerfile" \] \|\|\n.*\n/m.exec(push)?.[0]
    assert.ok(keyLines, 'deploy-push.sh adds the generated Dockerfile to the key')
    const script = `. "${rules}"; template="${dir}"; dockerfile=Dockerfile\n${keyLines}build_key ${commit} "$dockerfile" "${dir}/env" "${dir}/build-args"`
    const sh = execFileSync('sh', ['-c', script]).toString().trim()
    assert.equal(sh, buildKey(spec, { kind: 'git', url: 'x', commit }, text))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

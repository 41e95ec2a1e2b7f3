import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'
import { appDomains, parseDomain, resolveAppSpec } from '../../src-main/core/deploy/app-spec'
import {
  appRecord,
  deployOptions,
  deployRequestArchive,
  newDeploymentId,
  DEPLOYMENT_ID,
} from '../../src-main/core/deploy/deploy-request'
import { UserError } from '../../src-main/core/errors'
import { DEPLOYMENT_LAYOUT } from '../../src-main/core/rules/layout'

/** Refused with INVALID_OPTION, a message matching `pattern`, and `field` naming the value in the AppInput. */
const invalid = (fn: () => unknown, pattern: RegExp, field: string) =>
  assert.throws(fn, (error) => {
    assert.ok(error instanceof UserError && error.code === 'INVALID_OPTION' && pattern.test(error.message))
    assert.equal(error.field, field, error.message)
    return true
  })

test('app spec: defaults, and each field validated', () => {
  const spec = resolveAppSpec({ name: 'web' })
  assert.equal(spec.port, 3000)
  assert.deepEqual(spec.health, {
    kind: 'http',
    path: '/',
    intervalS: 2,
    timeoutS: 5,
    retries: 3,
    startPeriodS: 30,
  })
  assert.equal(spec.restart, 'unless-stopped')
  assert.equal(spec.keepImages, 5)
  invalid(() => resolveAppSpec({ name: 'Web' }), /app name/, 'name')
  invalid(() => resolveAppSpec({ name: 'a'.repeat(41) }), /app name/, 'name')
  invalid(() => resolveAppSpec({ name: 'web', port: 70000 }), /port/, 'port')
  invalid(() => resolveAppSpec({ name: 'web', domains: ['a.test', 'exa mple.com'] }), /domain/, 'domains.1')
  invalid(
    () => resolveAppSpec({ name: 'web', env: [{ key: 'A-B', value: '', secret: false }] }),
    /variable name/,
    'env.0.key',
  )
  invalid(
    () => resolveAppSpec({ name: 'web', env: [{ key: 'A', value: 'x\ny', secret: true }] }),
    /value of A/,
    'env.0.value',
  )
  invalid(
    () => resolveAppSpec({ name: 'web', env: [{ key: 'PATH', value: '/x', secret: false }] }),
    /build argument/,
    'env.0.build',
  )
  invalid(
    () => resolveAppSpec({ name: 'web', health: { path: '/$(reboot)' } }),
    /health check path/,
    'health.path',
  )
  invalid(() => resolveAppSpec({ name: 'web', resources: { memory: '1 g' } }), /memory/, 'resources.memory')
  invalid(
    () => resolveAppSpec({ name: 'web', build: { dockerfile: '../Dockerfile' } }),
    /Dockerfile/,
    'build.dockerfile',
  )
  invalid(() => resolveAppSpec({ name: 'web', health: { retries: 0 } }), /retries/, 'health.retries')
  const secret = resolveAppSpec({ name: 'web', env: [{ key: 'TOKEN', value: 's3cret', secret: true }] })
  assert.equal(secret.env[0]?.build, false, 'secrets are not build arguments unless asked')
  assert.ok(!appRecord(secret).includes('s3cret'), 'the app record holds no secret value')
})

test('domains: http:// is plain HTTP, bare and https:// are HTTPS, none gives <app>.<ip>.sslip.io', () => {
  assert.deepEqual(parseDomain('http://a.test'), { host: 'a.test', https: false })
  assert.deepEqual(parseDomain('B.example.com'), { host: 'b.example.com', https: true })
  assert.deepEqual(parseDomain('https://c.example.com/'), { host: 'c.example.com', https: true })
  assert.deepEqual(appDomains(resolveAppSpec({ name: 'web' }), '203.0.113.7'), [
    { host: 'web.203.0.113.7.sslip.io', https: true },
  ])
  assert.throws(() => appDomains(resolveAppSpec({ name: 'web' }), 'myserver'), { code: 'NO_DOMAIN' })
})

test('deploy request: options lines, 0600 files, secrets only in env and as mask patterns', () => {
  const id = newDeploymentId(new Date('2025-02-03T04:05:06Z'))
  assert.match(id, /^20250203-040506-[0-9a-f]{4}$/)
  assert.ok(DEPLOYMENT_ID.test(id))
  const spec = resolveAppSpec({
    name: 'web',
    port: 8080,
    env: [
      { key: 'TOKEN', value: 'hunter2-secret', secret: true },
      { key: 'MODE', value: 'prod', secret: false },
    ],
  })
  const request = {
    id,
    spec,
    domains: [parseDomain('http://a.test')],
    source: { kind: 'folder' as const, sourceId: 'f'.repeat(64) },
    trigger: 'cli',
  }
  const options = deployOptions(request)
  assert.match(options, /^source_kind=folder\n/)
  assert.match(options, /\nverify_host=a\.test\n/)
  assert.ok(!options.includes('hunter2'))
  const listing = execFileSync('tar', ['-tvf', '-'], {
    input: deployRequestArchive(request),
    encoding: 'utf8',
  })
  assert.deepEqual(
    listing
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, 10), line.split(' ').at(-1)]),
    [
      'options',
      'app.json',
      'env',
      'build-args',
      'secrets',
      'volumes',
      'release-command',
      'processes',
      'site.caddy',
      'site.traefik.yml',
    ].map((f) => ['-rw-------', f]),
  )
  const file = (name: string) =>
    execFileSync('tar', ['-xOf', '-', name], { input: deployRequestArchive(request), encoding: 'utf8' })
  assert.equal(file('env'), 'TOKEN=hunter2-secret\nMODE=prod\n')
  assert.equal(file('build-args'), 'MODE\n')
  assert.equal(file('secrets'), 'TOKEN\n')
  assert.ok(!file('app.json').includes('hunter2'))
})

test('a git deploy request carries the template a push fills: placeholders, no secret values', () => {
  const spec = resolveAppSpec({
    name: 'web',
    env: [
      { key: 'TOKEN', value: 'hunter2-secret', secret: true },
      { key: 'MODE', value: 'prod', secret: false },
    ],
  })
  const id = newDeploymentId()
  const request = {
    id,
    spec,
    domains: [parseDomain('http://a.test')],
    source: { kind: 'git' as const, url: 'https://example.com/o/r.git', commit: 'c'.repeat(40) },
    trigger: 'cli',
  }
  const archive = deployRequestArchive(request)
  const file = (name: string) =>
    execFileSync('tar', ['-xOf', '-', name], { input: archive, encoding: 'utf8' })
  const template = `${DEPLOYMENT_LAYOUT.pushTemplate.split('/').slice(1).join('/')}/`
  const options = file(`${template}options`)
  assert.match(options, /^source_id=\{\{commit\}\}$/m)
  assert.match(options, /^build_key=\{\{build_key\}\}$/m)
  assert.match(options, /^trigger=\{\{trigger\}\}$/m)
  assert.match(options, /^git_url=https:\/\/example\.com\/o\/r\.git$/m)
  // Everything else as in the request itself.
  const rest = (text: string) => text.replace(/^(source_id|build_key|trigger)=.*\n/gm, '')
  assert.equal(rest(options), rest(file('options')))
  for (const site of ['site.caddy', 'site.traefik.yml']) {
    assert.ok(file(`${template}${site}`).includes('web-{{id}}'), site)
    assert.equal(file(`${template}${site}`).replaceAll('{{id}}', id), file(site))
  }
  assert.equal(file(`${template}build-args`), 'MODE\n')
  assert.equal(file(`${template}secrets`), 'TOKEN\n')
  const listing = execFileSync('tar', ['-tf', '-'], { input: archive, encoding: 'utf8' })
  assert.ok(!listing.includes(`${template}env`))
  for (const name of listing
    .trim()
    .split('\n')
    .filter((n) => n.startsWith(template))) {
    assert.ok(!file(name).includes('hunter2'), name)
  }
  // A folder deploy carries none: pushes deploy git apps only.
  const folder = execFileSync('tar', ['-tf', '-'], {
    input: deployRequestArchive({ ...request, source: { kind: 'folder', sourceId: 'f'.repeat(64) } }),
    encoding: 'utf8',
  })
  assert.ok(!folder.includes(template))
})

test('volumes: names and host folders by the same rules here and on the server, system folders refused', () => {
  const accepted = [
    { source: 'data', path: '/data' },
    { source: 'pg_data.2', path: '/var/lib/postgresql/data' },
    { source: '/srv/shop/uploads', path: '/app/uploads' },
    { source: '/home/me/media', path: '/media' },
    { source: '/variable', path: '/v' },
  ]
  const refused: [volume: { source: string; path: string }, field: string, message: RegExp][] = [
    [{ source: '/', path: '/x' }, 'source', /host folder/],
    [{ source: '/etc', path: '/x' }, 'source', /system folder/],
    [{ source: '/etc/ssl', path: '/x' }, 'source', /system folder/],
    [{ source: '/var/run/docker.sock', path: '/x' }, 'source', /system folder/],
    [{ source: '/run/docker.sock', path: '/x' }, 'source', /system folder/],
    [{ source: '/var/lib/docker/volumes', path: '/x' }, 'source', /system folder/],
    [{ source: '/var', path: '/x' }, 'source', /system folder/],
    [{ source: '/lib64', path: '/x' }, 'source', /system folder/],
    [{ source: '/srv/../etc', path: '/x' }, 'source', /host folder/],
    [{ source: '/srv//data', path: '/x' }, 'source', /host folder/],
    [{ source: '/srv/data/', path: '/x' }, 'source', /host folder/],
    [{ source: 'srv/data', path: '/x' }, 'source', /volume name/],
    [{ source: 'Data', path: '/x' }, 'source', /volume name/],
    [{ source: 'data', path: 'relative' }, 'path', /mount path/],
    [{ source: 'data', path: '/' }, 'path', /mount path/],
    [{ source: 'data', path: '/a/./b' }, 'path', /mount path/],
    [{ source: 'data', path: '/a b' }, 'path', /mount path/],
    [{ source: 'data', path: '/a,readonly' }, 'path', /mount path/],
  ]
  assert.deepEqual(resolveAppSpec({ name: 'web', volumes: accepted }).volumes, accepted)
  for (const [volume, field, message] of refused) {
    assert.throws(
      () => resolveAppSpec({ name: 'web', volumes: [{ source: 'ok', path: '/ok' }, volume] }),
      (error) => {
        assert.ok(error instanceof UserError && error.code === 'INVALID_OPTION', String(error))
        assert.match(error.message, message)
        assert.equal(error.field, `volumes.1.${field}`, error.message)
        return true
      },
      JSON.stringify(volume),
    )
  }
  // The server's check (lib/deploy-volumes.sh) of the request's `SOURCE PATH` lines agrees.
  const scripts = fileURLToPath(new URL('../../remote-scripts/lib', import.meta.url))
  const serverCheck = (lines: string) =>
    spawnSync(
      'sh',
      [
        '-c',
        `for f in progress rules validate deploy-volumes; do . "$1/$f.sh"; done; f=$(mktemp); cat >"$f"; check_volumes "$f"; code=$?; rm -f "$f"; exit $code`,
        'sh',
        scripts,
      ],
      { input: lines, encoding: 'utf8' },
    ).status
  assert.equal(serverCheck(accepted.map((v) => `${v.source} ${v.path}\n`).join('')), 0)
  for (const [volume] of refused) {
    assert.equal(serverCheck(`${volume.source} ${volume.path}\n`), 1, JSON.stringify(volume))
  }
})

test('release command: one line, cleared when empty', () => {
  assert.equal(
    resolveAppSpec({ name: 'web', releaseCommand: 'npm run migrate' }).releaseCommand,
    'npm run migrate',
  )
  assert.equal(resolveAppSpec({ name: 'web', releaseCommand: '  ' }).releaseCommand, undefined)
  invalid(() => resolveAppSpec({ name: 'web', releaseCommand: 'a\nb' }), /release command/, 'releaseCommand')
})

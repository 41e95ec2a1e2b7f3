/**
 * Image apps without a server: references checked by Docker's grammar (the rule the server's scripts
 * share), the registry a reference is pulled from, what a pull's request carries, and the server's
 * log filter masking a registry login (remote-scripts/lib/secret-mask.sh's login_patterns).
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { deployOptions, registryAuthLine } from '../../src-main/core/deploy/deploy-request'
import { resolveAppSpec } from '../../src-main/core/deploy/app-spec'
import { registryOf, validateImageRef, validateRegistryHost } from '../../src-main/core/images/image-ref'

const LIB = fileURLToPath(new URL('../../remote-scripts/lib', import.meta.url))
const DIGEST = `sha256:${'a'.repeat(64)}`

test('image references follow Docker’s grammar, and name their registry', () => {
  for (const ref of [
    'nginx',
    'nginx:1.27-alpine',
    'library/redis:7',
    'ghcr.io/owner/app:v1.2.3',
    '127.0.0.1:5000/team/web:v1',
    'localhost:5000/web',
    `registry.example.com/a/b/c@${DIGEST}`,
    `web:v1@${DIGEST}`,
    'my_org/my-app__x.y',
  ]) {
    assert.equal(validateImageRef(ref), ref, ref)
  }
  for (const ref of [
    '',
    'Nginx',
    'nginx:',
    'nginx:-bad',
    'web:v1;reboot',
    'web:$(id)',
    'a//b',
    '-web',
    'web@sha256:short',
    `web@md5:${'a'.repeat(32)}`,
    'ghcr.io/owner/app:v1 --privileged',
    `web:${'t'.repeat(129)}`,
    `${'a'.repeat(256)}:v1`,
  ]) {
    assert.throws(() => validateImageRef(ref), { code: 'INVALID_OPTION', field: 'image' }, ref)
  }
  assert.equal(registryOf('nginx:1.27'), 'docker.io')
  assert.equal(registryOf('library/redis'), 'docker.io')
  assert.equal(registryOf('ghcr.io/owner/app:v1'), 'ghcr.io')
  assert.equal(registryOf('127.0.0.1:5000/web'), '127.0.0.1:5000')
  assert.equal(registryOf('localhost/web'), 'localhost')
  assert.equal(validateRegistryHost('Registry-1.Docker.IO'), 'docker.io')
  assert.throws(() => validateRegistryHost('https://ghcr.io'), { code: 'INVALID_OPTION', field: 'host' })
})

test('a pull request names its image, and carries its login in its own file only', () => {
  const spec = resolveAppSpec({ name: 'web', env: [{ key: 'A', value: 'b', secret: false }] })
  const login = { host: '127.0.0.1:5000', username: 'me', password: 'p:ss word' }
  const options = deployOptions({
    id: '20260101-000000-abcd',
    spec,
    domains: [],
    source: { kind: 'pull', ref: '127.0.0.1:5000/web:v1', login },
    trigger: 'cli',
  })
  assert.match(options, /^source_kind=pull$/m)
  assert.match(options, /^source_id=127\.0\.0\.1:5000\/web:v1$/m)
  assert.doesNotMatch(options, /build_key|p:ss/)
  assert.equal(registryAuthLine(login), `127.0.0.1:5000 ${Buffer.from('me:p:ss word').toString('base64')}\n`)
  assert.throws(() =>
    deployOptions({
      id: '20260101-000000-abcd',
      spec,
      domains: [],
      source: { kind: 'pull', ref: 'web;id' },
      trigger: 'cli',
    }),
  )
})

test('the server’s log filter masks a registry login: its base64 form, the password and its forms', () => {
  const password = 'tok/en+with=odd?chars'
  const auth = Buffer.from(`robot:${password}`).toString('base64')
  const dir = mkdtempSync(join(tmpdir(), 'helvetia-login-mask-'))
  try {
    writeFileSync(join(dir, 'registry-auth'), `127.0.0.1:5000 ${auth}\n`)
    writeFileSync(join(dir, 'empty'), '')
    const input = [
      `auth ${auth}`,
      `password ${password}`,
      `encoded ${encodeURIComponent(password)}`,
      `base64 ${Buffer.from(password).toString('base64')}`,
      'nothing secret here',
    ].join('\n')
    const out = execFileSync(
      'sh',
      [
        '-c',
        `. "$1/progress.sh"; . "$1/rules.sh"; . "$1/validate.sh"; . "$1/secret-mask.sh"
         p=$(secret_patterns "$2/empty" "$2/empty"; login_patterns "$2/registry-auth"); mask_lines "$p"`,
        'sh',
        LIB,
        dir,
      ],
      { input: `${input}\n`, encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } },
    )
    const lines = out.trimEnd().split('\n')
    assert.equal(lines.length, 5)
    for (const line of lines.slice(0, 4)) {
      assert.ok(!line.includes(password) && !line.includes(auth.slice(0, 20)), line)
      assert.ok(line.includes('••••••'), `masked: ${line}`)
    }
    assert.equal(lines[4], 'nothing secret here')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { resolveProxyOptions } from '../../src-main/core/proxy/proxy-options'
import {
  PATTERNS,
  validateBindAddress,
  validateEmail,
  validateImage,
  validatePort,
  validatePrefix,
} from '../../src-main/core/proxy/validation'

const SCRIPTS = fileURLToPath(new URL('../../remote-scripts', import.meta.url))

const IMAGES = {
  good: [
    'traefik:v3.3',
    'caddy:2',
    'helvetia-test/caddy:latest',
    'library/traefik:v3.3-alpine',
    'registry.example.com:5000/team/traefik:v3.3',
    'localhost/caddy',
    `ghcr.io/org/proxy@sha256:${'a'.repeat(64)}`,
    `caddy:2@sha256:${'0'.repeat(64)}`,
    'a__b.c-d/e',
  ],
  bad: [
    '',
    'Traefik',
    '-v',
    'a b',
    'x;y',
    'x:$(id)',
    'caddy\n',
    ':tag',
    'a//b',
    'caddy:',
    'x@sha256:abc',
    '.a',
  ],
}
const BINDS = {
  good: ['0.0.0.0', '127.0.0.1', '255.255.255.255', '::', '::1', '2001:db8::1', '::ffff:10.0.0.1'],
  bad: [
    '',
    'localhost',
    '256.1.1.1',
    '01.2.3.4',
    '1.2.3',
    'fe80::1%eth0',
    '127.0.0.1 ',
    '1.2.3.4;id',
    '::1\n',
  ],
}
const PREFIXES = {
  good: ['helvetia', 'helvetia-test-1a2b', 'a'],
  bad: ['', 'Helvetia', '1abc', '-a', 'a_b', 'a.b', 'a'.repeat(32)],
}

test('image references: Docker’s grammar, nothing else', () => {
  for (const image of IMAGES.good) assert.equal(validateImage(image), image)
  for (const image of [...IMAGES.bad, 'a'.repeat(256), 7]) {
    assert.throws(
      () => validateImage(image),
      { code: 'INVALID_OPTION', field: 'proxyImage' },
      JSON.stringify(image),
    )
  }
})

test('ports: integers from 1 to 65535', () => {
  for (const port of [1, 80, 65535]) assert.equal(validatePort('HTTP port', port, 'httpPort'), port)
  for (const port of [0, 65536, 1.5, -80, Number.NaN, '80', null]) {
    assert.throws(() => validatePort('HTTP port', port, 'httpPort'), {
      code: 'INVALID_OPTION',
      message: /HTTP port/,
      field: 'httpPort',
    })
  }
})

test('emails: a simple, strict form', () => {
  for (const email of ['ops@example.com', 'a.b+c_d%e-f@sub.example.co'])
    assert.equal(validateEmail(email), email)
  for (const email of [
    'a',
    'a@b',
    'a b@c.com',
    '"x"@y.com',
    'ops@example.com\n',
    'x@y.com;id',
    '$(id)@x.com',
    `${'a'.repeat(65)}@x.com`,
  ]) {
    assert.throws(() => validateEmail(email), { code: 'INVALID_OPTION', field: 'email' }, email)
  }
})

test('bind addresses: IPv4 and IPv6 literals', () => {
  for (const bind of BINDS.good) assert.equal(validateBindAddress(bind), bind)
  for (const bind of BINDS.bad)
    assert.throws(() => validateBindAddress(bind), { code: 'INVALID_OPTION', field: 'bind' }, bind)
})

test('prefixes name Docker objects and a folder: lowercase words', () => {
  for (const prefix of PREFIXES.good) assert.equal(validatePrefix(prefix), prefix)
  for (const prefix of PREFIXES.bad)
    assert.throws(() => validatePrefix(prefix), { code: 'INVALID_OPTION' }, prefix)
})

test('defaults, and what only makes sense together', () => {
  assert.deepEqual(resolveProxyOptions({}), {
    kind: 'traefik',
    image: 'traefik:v3.3',
    httpPort: 80,
    httpsPort: 443,
    bind: '0.0.0.0',
    email: null,
    prefix: 'helvetia',
  })
  assert.equal(resolveProxyOptions({ proxy: 'caddy' }).image, 'caddy:2')
  assert.equal(resolveProxyOptions({ email: '' }).email, null)
  assert.throws(() => resolveProxyOptions({ httpPort: 8080, httpsPort: 8080 }), { code: 'INVALID_OPTION' })
  assert.throws(() => resolveProxyOptions({ proxy: 'nginx' as never }), {
    code: 'INVALID_OPTION',
    message: /proxy/,
  })
})

test('remote-scripts/lib/rules.sh holds the same patterns', () => {
  const script = readFileSync(`${SCRIPTS}/lib/rules.sh`, 'utf8')
  const shell = (name: string) => new RegExp(`^${name}='([^']*)'$`, 'm').exec(script)?.[1]
  assert.equal(shell('IMAGE_PATTERN'), PATTERNS.image)
  assert.equal(shell('PORT_PATTERN'), PATTERNS.port)
  assert.equal(shell('IPV4_PATTERN'), PATTERNS.ipv4)
  assert.equal(shell('PREFIX_PATTERN'), PATTERNS.prefix)
})

test('…and the shell decides as TypeScript does', () => {
  // `matches VALUE PATTERN-VARIABLE` in sh, for each sample; prints 1 (match) or 0 per value.
  const decide = (variable: string, values: string[]): boolean[] => {
    const program = `. ./lib/progress.sh; . ./lib/rules.sh; . ./lib/validate.sh; eval "pattern=\\$$1"; shift; for x; do if matches "$x" "$pattern"; then echo 1; else echo 0; fi; done`
    const out = execFileSync('sh', ['-c', program, 'sh', variable, ...values], {
      cwd: SCRIPTS,
      encoding: 'utf8',
    })
    return out
      .trim()
      .split('\n')
      .map((line) => line === '1')
  }
  const images = [...IMAGES.good, ...IMAGES.bad]
  assert.deepEqual(decide('IMAGE_PATTERN', images), [
    ...IMAGES.good.map(() => true),
    ...IMAGES.bad.map(() => false),
  ])
  const ipv4 = ['0.0.0.0', '127.0.0.1', '255.255.255.255', '256.1.1.1', '01.2.3.4', '1.2.3', '1.2.3.4;id']
  assert.deepEqual(decide('IPV4_PATTERN', ipv4), [true, true, true, false, false, false, false])
  const prefixes = [...PREFIXES.good, ...PREFIXES.bad]
  assert.deepEqual(decide('PREFIX_PATTERN', prefixes), [
    ...PREFIXES.good.map(() => true),
    ...PREFIXES.bad.map(() => false),
  ])
  assert.deepEqual(decide('PORT_PATTERN', ['1', '65535', '0', '080', '8a', '']), [
    true,
    true,
    false,
    false,
    false,
    false,
  ])
})

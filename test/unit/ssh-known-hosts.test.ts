import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { hostPortName, parseKnownHosts, readKnownHosts } from '../../src-main/core/ssh/known-hosts'
import { tempHome } from '../support/temp-home'

interface Key {
  type: string
  base64: string
  blob: Buffer
}

function generateKey(dir: string, name: string, type = 'ed25519'): Key {
  const file = join(dir, name)
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', '', '-f', file])
  const [keyType, base64] = readFileSync(`${file}.pub`, 'utf8').trim().split(' ') as [string, string]
  return { type: keyType, base64, blob: Buffer.from(base64, 'base64') }
}

const line = (hosts: string, key: Key, marker = ''): string =>
  `${marker ? `${marker} ` : ''}${hosts} ${key.type} ${key.base64} comment here`

test('plain names, comma lists and [host]:port entries', (t) => {
  const dir = tempHome(t)
  const a = generateKey(dir, 'a')
  const b = generateKey(dir, 'b')
  const known = parseKnownHosts(
    [
      '# a comment',
      '',
      line('alpha.example.com,10.0.0.1', a),
      line('[beta.example.com]:2222', b),
      '   not a valid line',
      `gamma ssh-ed25519 not*base64`,
    ].join('\n'),
  )
  assert.equal(known.lookup('alpha.example.com', 22, a.type, a.blob), 'known')
  assert.equal(known.lookup('ALPHA.example.COM', 22, a.type, a.blob), 'known')
  assert.equal(known.lookup('10.0.0.1', 22, a.type, a.blob), 'known')
  // Another port is another host for known_hosts.
  assert.equal(known.lookup('alpha.example.com', 2222, a.type, a.blob), 'unknown')
  assert.equal(known.lookup('beta.example.com', 2222, b.type, b.blob), 'known')
  assert.equal(known.lookup('beta.example.com', 22, b.type, b.blob), 'unknown')
  assert.equal(known.lookup('gamma', 22, a.type, a.blob), 'unknown')
})

test('another key of the same type is a mismatch; a key of another type is only unknown', (t) => {
  const dir = tempHome(t)
  const listed = generateKey(dir, 'listed')
  const other = generateKey(dir, 'other')
  const ecdsa = generateKey(dir, 'ecdsa', 'ecdsa')
  const known = parseKnownHosts(line('[127.0.0.1]:2200', listed))
  assert.equal(known.lookup('127.0.0.1', 2200, other.type, other.blob), 'mismatch')
  assert.equal(known.lookup('127.0.0.1', 2200, ecdsa.type, ecdsa.blob), 'unknown')
})

test('* and ? wildcards and ! negations', (t) => {
  const dir = tempHome(t)
  const key = generateKey(dir, 'k')
  const known = parseKnownHosts(line('*.example.com,!db.example.com,web?.test', key))
  assert.equal(known.lookup('app.example.com', 22, key.type, key.blob), 'known')
  assert.equal(known.lookup('db.example.com', 22, key.type, key.blob), 'unknown')
  assert.equal(known.lookup('web1.test', 22, key.type, key.blob), 'known')
  assert.equal(known.lookup('web10.test', 22, key.type, key.blob), 'unknown')
})

test('@revoked wins over any other entry; @cert-authority lines are ignored', (t) => {
  const dir = tempHome(t)
  const revoked = generateKey(dir, 'revoked')
  const ca = generateKey(dir, 'ca')
  const known = parseKnownHosts(
    [
      line('host.example.com', revoked),
      line('*', revoked, '@revoked'),
      line('*.example.com', ca, '@cert-authority'),
      line('host.example.com', ca, '@unknown-marker'),
    ].join('\n'),
  )
  assert.equal(known.lookup('host.example.com', 22, revoked.type, revoked.blob), 'revoked')
  assert.equal(known.lookup('elsewhere', 2222, revoked.type, revoked.blob), 'revoked')
  // The CA key is not a host key, and it does not make the host's other keys mismatches either.
  assert.equal(known.lookup('x.example.com', 22, ca.type, ca.blob), 'unknown')
})

test('hashed entries written by ssh-keygen -H are recognized, and agree with ssh-keygen -F', (t) => {
  const dir = tempHome(t)
  const key = generateKey(dir, 'k')
  const other = generateKey(dir, 'other')
  const file = join(dir, 'known_hosts')
  writeFileSync(
    file,
    [line('hashed.example.com,10.1.2.3', key), line('[hashed.example.com]:2222', key)].join('\n'),
  )
  execFileSync('ssh-keygen', ['-q', '-H', '-f', file])
  const text = readFileSync(file, 'utf8')
  assert.doesNotMatch(text, /example/, 'ssh-keygen -H left a name in clear')
  assert.match(text, /^\|1\|/m)
  const known = parseKnownHosts(text)
  const cases: [string, number, boolean][] = [
    ['hashed.example.com', 22, true],
    ['10.1.2.3', 22, true],
    ['hashed.example.com', 2222, true],
    ['10.1.2.3', 2222, false],
    ['other.example.com', 22, false],
  ]
  for (const [host, port, listed] of cases) {
    const name = hostPortName(host, port)
    // ssh-keygen -F exits 0 when it finds the name, 1 when not.
    assert.equal(
      spawnSync('ssh-keygen', ['-F', name, '-f', file]).status === 0,
      listed,
      `ssh-keygen -F ${name}`,
    )
    assert.equal(known.lookup(host, port, key.type, key.blob), listed ? 'known' : 'unknown', name)
    if (listed) assert.equal(known.lookup(host, port, other.type, other.blob), 'mismatch', name)
  }
})

test('a missing file is empty; an unreadable one is an error that names the file', async (t) => {
  const dir = tempHome(t)
  const key = generateKey(dir, 'k')
  const missing = await readKnownHosts(join(dir, 'nope'))
  assert.equal(missing.lookup('host', 22, key.type, key.blob), 'unknown')
  await assert.rejects(readKnownHosts(dir), (error: Error & { code?: string; hint?: string }) => {
    assert.equal(error.code, 'KNOWN_HOSTS_UNREADABLE')
    assert.ok(error.message.includes(dir))
    assert.ok(error.hint)
    return true
  })
})

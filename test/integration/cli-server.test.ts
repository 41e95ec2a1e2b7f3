import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ServerFacts, ServerSummary } from '../../src-main/api/contract'
import { helvetia } from '../support/cli'
import { tempHome } from '../support/temp-home'
import { testServer } from '../support/test-server'

test('server add refuses an unknown host key without a TTY and prints the fingerprint to confirm', async (t) => {
  const server = testServer(t)
  if (!server) return
  const home = tempHome(t)
  const base = [
    'server',
    'add',
    'web',
    '--host',
    server.host,
    '--port',
    String(server.port),
    '--user',
    server.user,
  ]
  const unknown = await helvetia(home, [...base, '--identity', server.keyPath])
  assert.notEqual(unknown.code, 0)
  assert.equal(unknown.stderr.trim().split('\n').length, 1, 'one line on stderr')
  assert.match(unknown.stderr, /unknown host key/)
  assert.ok(unknown.stderr.includes(`--fingerprint ${server.hostKeyFingerprint}`), unknown.stderr)

  const wrong = await helvetia(home, [
    ...base,
    '--identity',
    server.keyPath,
    '--fingerprint',
    'SHA256:' + 'A'.repeat(43),
  ])
  assert.notEqual(wrong.code, 0)
  assert.match(wrong.stderr, /HOST_KEY_MISMATCH|was expected/)

  const list = await helvetia(home, ['server', 'list', '--json'])
  assert.deepEqual(JSON.parse(list.stdout), [], 'nothing was stored')
})

test('server add, list, check and remove with a key file', async (t) => {
  const server = testServer(t)
  if (!server) return
  const home = tempHome(t)
  const added = await helvetia(home, [
    'server',
    'add',
    'web',
    '--host',
    server.host,
    '--port',
    String(server.port),
    '--user',
    server.user,
    '--identity',
    server.keyPath,
    '--fingerprint',
    server.hostKeyFingerprint,
    '--json',
  ])
  assert.equal(added.code, 0, added.stderr)
  const summary = JSON.parse(added.stdout) as ServerSummary
  assert.equal(summary.hostKeyFingerprint, server.hostKeyFingerprint)
  assert.equal(summary.auth, 'key-file')

  const list = JSON.parse((await helvetia(home, ['server', 'list', '--json'])).stdout) as ServerSummary[]
  assert.deepEqual(
    list.map((s) => s.name),
    ['web'],
  )

  const check = await helvetia(home, ['server', 'check', 'web', '--json'])
  assert.equal(check.code, 0, check.stderr)
  const facts = JSON.parse(check.stdout) as ServerFacts
  assert.equal(facts.os, 'debian')
  assert.equal(facts.privilege, 'none', 'the test user has neither root nor sudo')
  assert.match(facts.dockerVersion ?? '', /^\d+\.\d+/)
  assert.ok(facts.cpus >= 1 && facts.memoryBytes > 0 && facts.diskFreeBytes > 0)

  const again = await helvetia(home, [
    'server',
    'add',
    'web',
    '--host',
    server.host,
    '--fingerprint',
    server.hostKeyFingerprint,
  ])
  assert.notEqual(again.code, 0)
  assert.match(again.stderr, /already exists/)

  assert.equal((await helvetia(home, ['server', 'remove', 'web'])).code, 0)
  assert.deepEqual(JSON.parse((await helvetia(home, ['server', 'list', '--json'])).stdout), [])
})

test('bad input gets a one-line error that says what to do, and nothing is stored or sent', async (t) => {
  const home = tempHome(t)
  const cases: [string[], RegExp][] = [
    [['server', 'add', 'Bad Name!', '--host', '127.0.0.1'], /Invalid name.*lowercase/],
    [['server', 'add', 'web', '--host', '$(touch /tmp/helvetia-pwned)'], /Invalid host/],
    [['server', 'add', 'web', '--host', '127.0.0.1', '--user', 'a;id'], /Invalid user/],
    [['server', 'add', 'web'], /No --host/],
    [['server', 'add', 'web', '--host', '127.0.0.1', '--port', '70000'], /port/],
    [['server', 'add', 'web', '--host', '127.0.0.1', '--fingerprint', 'MD5:xx'], /fingerprint/i],
    [['server', 'check', 'nope'], /No server named "nope"/],
  ]
  for (const [args, message] of cases) {
    const result = await helvetia(home, args)
    assert.notEqual(result.code, 0, args.join(' '))
    assert.match(result.stderr, message, args.join(' '))
  }
  assert.deepEqual(JSON.parse((await helvetia(home, ['server', 'list', '--json'])).stdout), [])
})

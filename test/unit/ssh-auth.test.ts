import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { UserError } from '../../src-main/core/errors'
import { authConfig, authFailed } from '../../src-main/core/ssh/ssh-auth'

const code = (expected: string) => (error: unknown) =>
  error instanceof UserError && error.code === expected && Boolean(error.hint)

test('the agent comes from SSH_AUTH_SOCK, Pageant on Windows, or is reported missing', () => {
  assert.deepEqual(authConfig({ kind: 'agent' }, { SSH_AUTH_SOCK: '/run/agent.sock' }, 'linux'), {
    agent: '/run/agent.sock',
  })
  assert.deepEqual(authConfig({ kind: 'agent', socket: '/other.sock' }, { SSH_AUTH_SOCK: '/x' }, 'linux'), {
    agent: '/other.sock',
  })
  assert.deepEqual(authConfig({ kind: 'agent' }, {}, 'win32'), { agent: 'pageant' })
  assert.throws(
    () => authConfig({ kind: 'agent' }, {}, 'linux'),
    (error: unknown) =>
      code('SSH_AGENT_UNAVAILABLE')(error) && /SSH_AUTH_SOCK is not set/.test(String(error)),
  )
})

test('key problems are named before connecting: passphrase needed, wrong, or not a private key', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'helvetia-auth-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'key')
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'secret', '-C', '', '-f', file])
  const privateKey = readFileSync(file)
  assert.throws(() => authConfig({ kind: 'key', privateKey }), code('KEY_PASSPHRASE_NEEDED'))
  assert.throws(
    () => authConfig({ kind: 'key', privateKey, passphrase: 'wrong' }),
    code('KEY_PASSPHRASE_WRONG'),
  )
  assert.equal(authConfig({ kind: 'key', privateKey, passphrase: 'secret' }).privateKey, privateKey)
  assert.throws(
    () => authConfig({ kind: 'key', privateKey: readFileSync(`${file}.pub`) }),
    code('KEY_UNREADABLE'),
  )
  assert.throws(() => authConfig({ kind: 'key', privateKey: 'garbage' }), code('KEY_UNREADABLE'))
})

test('a password also answers keyboard-interactive prompts', () => {
  assert.deepEqual(authConfig({ kind: 'password', password: 'pw' }), { password: 'pw', tryKeyboard: true })
})

test('a refused login names the user and where the public key goes', () => {
  const endpoint = { host: 'example.com', port: 22 }
  for (const auth of [
    { kind: 'agent' } as const,
    { kind: 'key', privateKey: '' } as const,
    { kind: 'password', password: '' } as const,
  ]) {
    const error = authFailed(auth, 'deploy', endpoint)
    assert.equal(error.code, 'SSH_AUTH_FAILED')
    assert.match(error.message, /deploy@example\.com:22/)
    assert.match(error.hint ?? '', /authorized_keys/)
  }
})

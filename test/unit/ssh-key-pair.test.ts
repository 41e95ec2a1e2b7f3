import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { UserError } from '../../src-main/core/errors'
import { installPublicKey } from '../../src-main/core/remote/authorized-keys'
import { ScriptRunner } from '../../src-main/core/remote/script-runner'
import ssh2 from 'ssh2'
import { generateKeyPair } from '../../src-main/core/ssh/key-pair'
import { LocalTarget } from '../../src-main/core/targets/local-target'

const scripts = new ScriptRunner({
  scriptsDir: fileURLToPath(new URL('../../remote-scripts', import.meta.url)),
})

/** A LocalTarget whose HOME is a fresh folder: installPublicKey's script runs for real, here. */
function fakeHome(t: TestContext): { home: string; target: LocalTarget } {
  const home = mkdtempSync(join(tmpdir(), 'helvetia-home-'))
  t.after(() => rmSync(home, { recursive: true, force: true }))
  return { home, target: new LocalTarget({ env: { ...process.env, HOME: home } }) }
}

const mode = (path: string): number => statSync(path).mode & 0o777

test('a generated ed25519 pair is in OpenSSH format and its halves belong together', (t) => {
  const pair = generateKeyPair('helvetia@test')
  assert.match(pair.privateKey, /^-----BEGIN OPENSSH PRIVATE KEY-----/)
  assert.match(pair.publicKey, /^ssh-ed25519 [A-Za-z0-9+/]+=* helvetia@test$/)
  const dir = mkdtempSync(join(tmpdir(), 'helvetia-kp-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'key')
  writeFileSync(file, pair.privateKey, { mode: 0o600 })
  const derived = execFileSync('ssh-keygen', ['-y', '-f', file], { encoding: 'utf8' }).trim()
  assert.equal(derived.split(' ').slice(0, 2).join(' '), pair.publicKey.split(' ').slice(0, 2).join(' '))
  assert.throws(() => generateKeyPair('two\nlines'), TypeError)
})

test('installPublicKey creates ~/.ssh (700) and authorized_keys (600), and is idempotent', async (t) => {
  const { home, target } = fakeHome(t)
  const { publicKey } = generateKeyPair('first')
  assert.equal(await installPublicKey(scripts, target, publicKey), true)
  const file = join(home, '.ssh', 'authorized_keys')
  assert.equal(mode(join(home, '.ssh')), 0o700)
  assert.equal(mode(file), 0o600)
  assert.equal(readFileSync(file, 'utf8'), `${publicKey}\n`)
  // The same key again, even with another comment, changes nothing.
  const [type, blob] = publicKey.split(' ')
  assert.equal(await installPublicKey(scripts, target, `${type} ${blob} renamed`), false)
  assert.equal(readFileSync(file, 'utf8'), `${publicKey}\n`)
})

test('installPublicKey keeps existing keys and permissions, and never joins a last line without newline', async (t) => {
  const { home, target } = fakeHome(t)
  mkdirSync(join(home, '.ssh'), { mode: 0o755 })
  const file = join(home, '.ssh', 'authorized_keys')
  const existing = generateKeyPair('existing').publicKey
  writeFileSync(file, existing, { mode: 0o640 })
  const { publicKey } = generateKeyPair('new')
  assert.equal(await installPublicKey(scripts, target, publicKey), true)
  assert.equal(readFileSync(file, 'utf8'), `${existing}\n${publicKey}\n`)
  assert.equal(mode(join(home, '.ssh')), 0o755)
  assert.equal(mode(file), 0o640)
})

test('anything but one plain public key line is refused before any command runs', async (t) => {
  const { home, target } = fakeHome(t)
  const { publicKey } = generateKeyPair('ok')
  const [type, blob] = publicKey.split(' ') as [string, string]
  const hostile = [
    '',
    'not a key',
    `command="touch ${home}/pwned" ${publicKey}`,
    `${publicKey}\n${publicKey}`,
    `${publicKey}\0`,
    `ssh-rsa ${blob}`, // the blob says ed25519
    `${type} ${blob}'; touch ${home}/pwned; '`,
  ]
  for (const line of hostile) {
    await assert.rejects(
      installPublicKey(scripts, target, line),
      (error: unknown) => error instanceof UserError && error.code === 'PUBLIC_KEY_INVALID',
      JSON.stringify(line),
    )
  }
  assert.equal(existsSync(join(home, '.ssh')), false)
  assert.equal(existsSync(join(home, 'pwned')), false)
})

test('a comment with shell syntax is stored literally, not run', async (t) => {
  const { home, target } = fakeHome(t)
  const [type, blob] = generateKeyPair('x').publicKey.split(' ')
  const line = `${type} ${blob} $(touch pwned) \`id\` 'q' "d"`
  assert.equal(await installPublicKey(scripts, target, line), true)
  assert.equal(readFileSync(join(home, '.ssh', 'authorized_keys'), 'utf8'), `${line}\n`)
  assert.equal(existsSync(join(home, 'pwned')), false)
})

test('every generated key parses: ssh2 draws about one in two hundred that its own parser refuses', () => {
  // Without the redraw, 1,000 keys hold such a key but for a chance of about 1 in 150.
  for (let i = 0; i < 1000; i++) {
    const { privateKey } = generateKeyPair('helvetia-deploy-site')
    assert.ok(!(ssh2.utils.parseKey(privateKey) instanceof Error), `key ${i} parses`)
  }
})

import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { createPrivateKey, randomBytes, randomUUID } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { promisify } from 'node:util'
import ssh2 from 'ssh2'
import type { ServerSummary } from '../../src-main/api/contract'
import { serverSecrets } from '../../src-main/core/vault/accounts'
import { createKeytarVault, KEYCHAIN_SERVICE } from '../../src-main/core/vault/vault'
import { addServerArgs, helvetia } from '../support/cli'
import { requireKeychain } from '../support/keychain'
import { tempHome } from '../support/temp-home'
import { throwawaySshd } from '../support/throwaway-sshd'

test('a secret round-trips through the OS keychain under the app-wide service name', async (t) => {
  if (!requireKeychain(t)) return
  const vault = createKeytarVault()
  const account = `test:${randomUUID()}`
  const secret = `-----BEGIN OPENSSH PRIVATE KEY-----\n${randomBytes(48).toString('base64')}\n-----END`
  t.after(() => vault.delete(account))
  await vault.set(account, secret)
  assert.equal(await vault.get(account), secret)
  // A second vault (as the CLI would open, beside the desktop app) sees the same secret.
  assert.equal(await createKeytarVault(KEYCHAIN_SERVICE).get(account), secret)
  assert.equal(await vault.delete(account), true)
  assert.equal(await vault.get(account), null)
})

test('server add --generate-key: the key lives in the keychain, and neither it nor the password in the data folder', async (t) => {
  if (!requireKeychain(t)) return
  const sshd = await throwawaySshd(t, { methods: ['password', 'publickey'] })
  if (!sshd) return
  const home = tempHome(t)
  // The real command, over a one-time password, as a user runs it.
  const added = await helvetia(
    home,
    addServerArgs(sshd, 'vaulted', '--generate-key', '--password-stdin', '--json'),
    `${sshd.password}\n`,
  )
  assert.equal(added.code, 0, added.stderr)
  const { id } = JSON.parse(added.stdout) as ServerSummary
  const vault = createKeytarVault()
  t.after(() => vault.delete(serverSecrets(id).privateKey))
  const privateKey = await vault.get(serverSecrets(id).privateKey)
  assert.ok(privateKey, 'the private key is in the keychain')
  // The key it installed on the server is the keychain's.
  const publicKey = ssh2.utils.parseKey(privateKey)
  assert.ok(!(publicKey instanceof Error) && !Array.isArray(publicKey))
  assert.ok(sshd.authorizedKeys().includes(publicKey.getPublicSSH().toString('base64')))

  // The secret in every form it could be written in: the key file's text and body, its decoded bytes,
  // the ed25519 seed in raw, hex and base64; and the password.
  const body = privateKey.replace(/-----[^-]+-----/g, '').replace(/\s/g, '')
  const seed = Buffer.from(
    createPrivateKey(publicKey.getPrivatePEM()).export({ format: 'jwk' }).d ?? '',
    'base64url',
  )
  assert.equal(seed.length, 32)
  const forms: [string, Buffer][] = [
    ['the private key', Buffer.from(privateKey)],
    ['its base64 body', Buffer.from(body)],
    ['its bytes', Buffer.from(body, 'base64')],
    ['its seed', seed],
    ['its seed in hex', Buffer.from(seed.toString('hex'))],
    ['its seed in base64', Buffer.from(seed.toString('base64').replace(/=+$/, ''))],
    ['the password', Buffer.from(sshd.password)],
  ]
  const files = readdirSync(home, { recursive: true, encoding: 'utf8' }).filter((file) =>
    statSync(join(home, file)).isFile(),
  )
  assert.ok(files.includes('helvetia.db'), `the store is among the files scanned: ${files.join(', ')}`)
  for (const file of files) {
    const bytes = readFileSync(join(home, file))
    for (const [what, secret] of forms) assert.equal(bytes.includes(secret), false, `${file} holds ${what}`)
  }

  const removed = await helvetia(home, ['server', 'remove', 'vaulted'])
  assert.equal(removed.code, 0, removed.stderr)
  assert.equal(await vault.get(serverSecrets(id).privateKey), null, 'removing the server removes its key')
})

test('without a keychain, the vault fails with an error that names the fix', async () => {
  // A child process with no D-Bus session: what a headless Linux without a Secret Service looks like.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/helvetia-test-bus',
  }
  delete env.DISPLAY
  const script = `
    import { createKeytarVault } from ${JSON.stringify(new URL('../../src-main/core/vault/vault.ts', import.meta.url).pathname)}
    try { await createKeytarVault().set('probe', 'x'); console.log('stored') }
    catch (e) { console.log(JSON.stringify({ code: e.code, hint: e.hint })) }`
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    { env },
  )
  const result = JSON.parse(stdout) as { code: string; hint: string }
  assert.equal(result.code, 'KEYCHAIN_UNAVAILABLE')
  assert.match(result.hint, /dbus-run-session/)
})

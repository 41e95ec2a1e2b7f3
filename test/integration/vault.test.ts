import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { promisify } from 'node:util'
import { createCore } from '../../src-main/core/create-core'
import { openDatabase } from '../../src-main/core/store/database'
import { createServerStore } from '../../src-main/core/store/server-store'
import { createKeytarVault, KEYCHAIN_SERVICE } from '../../src-main/core/vault/vault'
import { requireKeychain } from '../support/keychain'
import { APP_ROOT, tempHome } from '../support/temp-home'
import { serverSecrets } from '../../src-main/core/vault/accounts'

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

test('a server key lives in the keychain and nowhere in the data folder', async (t) => {
  if (!requireKeychain(t)) return
  const home = tempHome(t)
  const core = createCore({ home, appRoot: APP_ROOT, vault: createKeytarVault(), face: 'test' })
  const id = randomUUID()
  const secret = randomBytes(32).toString('hex')
  // What `server add --generate-key` does: the record in the store, the private half in the vault.
  const db = openDatabase(home)
  t.after(() => db.close())
  createServerStore(db).insert({
    id,
    name: 'vaulted',
    host: '127.0.0.1',
    port: 22,
    user: 'deploy',
    auth: 'generated-key',
    keyPath: null,
    hostKeyFingerprint: null,
    createdAt: new Date().toISOString(),
  })
  await core.vault.set(serverSecrets(id).privateKey, secret)
  assert.equal(await core.vault.get(serverSecrets(id).privateKey), secret)

  for (const file of readdirSync(home)) {
    const bytes = readFileSync(join(home, file))
    assert.equal(bytes.includes(secret), false, `${file} holds the secret`)
    assert.equal(bytes.includes(Buffer.from(secret, 'hex')), false, `${file} holds the secret's bytes`)
  }

  await core.servers.remove('vaulted')
  assert.equal(
    await core.vault.get(serverSecrets(id).privateKey),
    null,
    'removing the server removes its key',
  )
  core.close()
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

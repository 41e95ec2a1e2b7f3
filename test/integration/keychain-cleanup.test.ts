/**
 * Every keychain account goes with what it belongs to: after the apps and servers are removed through
 * the real core, the keychain (a real gnome-keyring, under a service of this test's own so concurrent
 * tests do not show up) holds no Helvetia account at all.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { openDatabase } from '../../src-main/core/store/database'
import { relayTokenAccount, serverSecrets, webhookSecretAccount } from '../../src-main/core/vault/accounts'
import { createKeytarVault } from '../../src-main/core/vault/vault'
import { requireKeychain } from '../support/keychain'
import { testRelay } from '../support/relay'
import { prefixedCore } from './core-support'
import { removeDeploysAfter } from './deploy-support'
import { provisionTestbed } from './provision-support'

const keytar = createRequire(import.meta.url)('keytar') as typeof import('keytar')

test('removing every app and server leaves no Helvetia account in the keychain', async (t) => {
  if (!requireKeychain(t)) return
  const bed = provisionTestbed(t)
  if (!bed) return
  removeDeploysAfter(bed)
  const service = `Helvetia-test-${bed.prefix}`
  const accounts = async () => (await keytar.findCredentials(service)).map((c) => c.account).sort()
  t.after(async () => {
    for (const account of await accounts()) await keytar.deletePassword(service, account)
  })
  const vault = createKeytarVault(service)

  // The test server's key behind a passphrase: the passphrase is kept in the keychain.
  const keyDir = mkdtempSync(join(tmpdir(), 'helvetia-key-'))
  t.after(() => rmSync(keyDir, { recursive: true, force: true }))
  const keyPath = join(keyDir, 'id')
  copyFileSync(bed.server.keyPath, keyPath)
  execFileSync('ssh-keygen', ['-q', '-p', '-f', keyPath, '-P', '', '-N', 'pass phrase'])
  const { core } = prefixedCore(t, bed.prefix, { vault })
  await core.servers.add({
    name: 'web-1',
    host: bed.server.host,
    port: bed.server.port,
    user: bed.server.user,
    auth: 'key-file',
    identityFile: keyPath,
    passphrase: 'pass phrase',
    fingerprint: bed.server.hostKeyFingerprint,
  })

  const app = (name: string) => ({ name, server: 'web-1', port: 8080, domains: [`http://${name}.test`] })
  core.apps.create({ ...app('web'), source: { kind: 'folder', path: keyDir } })
  await core.apps.setEnv('web', [{ key: 'API_KEY', value: 'hush' }], true)
  await core.apps.createWithDeployKey(
    { ...app('api'), source: { kind: 'git', url: 'git@github.com:octo/api.git' } },
    { generate: true },
  )
  const relay = await testRelay(t)
  await core.push.connectWebhook('web', { relay: relay.relay.url, token: relay.relay.token })
  await core.push.connectWebhook('api', { relay: relay.relay.url, token: relay.relay.token })
  // What `relay install` keeps for a relay on the server (the install itself builds an image; see
  // relay-server-side.test.ts): its record and its token.
  const hosted = 'https://relay.web-1.test'
  const db = openDatabase(core.home)
  const serverId = db.prepare<[], { id: string }>("SELECT id FROM servers WHERE name = 'web-1'").get()?.id
  const webId = db.prepare<[], { id: string }>("SELECT id FROM apps WHERE name = 'web'").get()?.id ?? ''
  db.prepare('INSERT INTO relay_hosts (relay_url, server_id, created_at) VALUES (?, ?, ?)').run(
    hosted,
    serverId,
    new Date().toISOString(),
  )
  db.close()
  await vault.set(relayTokenAccount(hosted), 'hosted token')
  assert.equal((await accounts()).length, 7, (await accounts()).join(' '))

  await core.apps.remove('web')
  const left = await accounts()
  assert.ok(!left.includes(webhookSecretAccount(webId)), 'the removed app’s webhook secret is gone')
  assert.ok(left.includes(relayTokenAccount(relay.relay.url)), 'another app still uses the relay')
  await core.apps.remove('api')
  assert.deepEqual(await accounts(), [relayTokenAccount(hosted), serverSecrets(serverId ?? '').passphrase])
  await core.servers.remove('web-1')
  assert.deepEqual(await accounts(), [])
})

/**
 * Deploy keys seen and rotated through the core's API, against the local GitHub stand-in
 * (test/support/github-standin.ts, real HTTP on 127.0.0.1): GitHub itself cannot be reached from the
 * test machine. The keychain is real (a service of each test's own). A key managed on GitHub is
 * replaced there (new key added first, old one deleted after); a failing add leaves everything as it
 * was; a failing delete is a warning. An app creation that fails after GitHub took the key takes it
 * back. A key added by hand is replaced at once, with what the user has to do; the copy a server
 * keeps for the deploys it starts on push is replaced on the real test server.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Core } from '../../src-main/core/create-core'
import { deployKeyInfo, deployKeyPair } from '../../src-main/core/apps/deploy-key'
import { sh } from '../../src-main/core/shell/quote'
import { openDatabase } from '../../src-main/core/store/database'
import type { Vault } from '../../src-main/core/vault/vault'
import { failsWith } from '../support/user-error'
import { testCore } from './core-support'
import { gitHubBed, ownVault, signIn, storeOnlyCore } from './github-support'
import { provisionTestbed } from './provision-support'
import { deployKeyAccount } from '../../src-main/core/vault/accounts'

const blob = (key: string) => key.split(' ').slice(0, 2).join(' ')

/** The public half of the private key the keychain holds for the app. */
async function keychainKey(core: Core, vault: Vault, name: string): Promise<string | null> {
  const privateKey = await vault.get(deployKeyAccount(core.apps.record(name).id))
  return privateKey === null ? null : blob(deployKeyPair({ privateKey }, 'check').publicKey)
}

test('a key managed on GitHub: shown, rotated there (a failing add changes nothing, a failing delete warns)', async (t) => {
  const { standIn, vault, core } = await gitHubBed(t)
  standIn.addRepo({ owner: 'octo-helvetia', name: 'shop', private: true })
  await signIn(vault, standIn)
  await core.api['github:create-app']({ name: 'shop', server: 'edge-1', repo: 'octo-helvetia/shop' })
  const keys = () => standIn.keysOf('octo-helvetia/shop')

  const [first] = keys()
  const shown = await core.api['apps:deploy-key']({ name: 'shop' })
  assert.equal(shown.githubKeyId, first?.id)
  assert.equal(blob(shown.publicKey), first?.key)
  assert.match(shown.fingerprint, /^SHA256:[A-Za-z0-9+/]{43}$/)
  assert.equal(await keychainKey(core, vault, 'shop'), first?.key)

  // GitHub fails to add the new key: nothing changed, here or there.
  standIn.unavailable = [/^POST \/repos\/octo-helvetia\/shop\/keys$/]
  await assert.rejects(
    core.api['apps:rotate-deploy-key']({ name: 'shop' }),
    failsWith('GITHUB_REQUEST_FAILED'),
  )
  assert.deepEqual(keys(), [first])
  assert.deepEqual(await core.api['apps:deploy-key']({ name: 'shop' }), shown)
  assert.equal(await keychainKey(core, vault, 'shop'), first?.key)

  // Rotated: the new key on GitHub, read-only, the old one deleted there; keychain and store agree.
  standIn.unavailable = []
  standIn.requests.length = 0
  const rotated = await core.api['apps:rotate-deploy-key']({ name: 'shop' })
  assert.deepEqual(
    standIn.requests.map((r) => `${r.method} ${r.path}`),
    ['POST /repos/octo-helvetia/shop/keys', `DELETE /repos/octo-helvetia/shop/keys/${first?.id}`],
  )
  const [second, ...more] = keys()
  assert.equal(more.length, 0, 'only the new key is left on GitHub')
  assert.deepEqual(
    { ...second, id: 0 },
    { id: 0, title: 'Helvetia: shop on edge-1', key: second?.key, read_only: true },
  )
  assert.deepEqual(rotated, {
    key: { publicKey: rotated.key.publicKey, fingerprint: rotated.key.fingerprint, githubKeyId: second?.id },
    previousFingerprint: shown.fingerprint,
    action: null,
    warnings: [],
  })
  assert.equal(blob(rotated.key.publicKey), second?.key)
  assert.notEqual(rotated.key.fingerprint, shown.fingerprint)
  assert.deepEqual(await core.api['apps:deploy-key']({ name: 'shop' }), rotated.key)
  assert.equal(await keychainKey(core, vault, 'shop'), second?.key)
  assert.equal(core.apps.record('shop').settingsPending, false, 'a new key is no setting to deploy')

  // GitHub fails to delete the old key: rotated all the same, with a warning that says what is left.
  standIn.unavailable = [/^DELETE /]
  const warned = await core.api['apps:rotate-deploy-key']({ name: 'shop' })
  assert.equal(warned.warnings.length, 1)
  assert.match(
    warned.warnings[0] ?? '',
    new RegExp(
      `deploy key ${rotated.key.fingerprint.replace(/[+/]/g, '\\$&')} is still on octo-helvetia/shop`,
    ),
  )
  assert.match(warned.warnings[0] ?? '', /Settings → Deploy keys/)
  assert.deepEqual(
    keys().map((k) => k.key),
    [second?.key, blob(warned.key.publicKey)],
  )
  assert.equal(await keychainKey(core, vault, 'shop'), blob(warned.key.publicKey))

  // Signed out: refused before anything changes.
  standIn.unavailable = []
  await core.api['github:sign-out']()
  await assert.rejects(
    core.api['apps:rotate-deploy-key']({ name: 'shop' }),
    failsWith('GITHUB_NOT_SIGNED_IN'),
  )
  assert.deepEqual(await core.api['apps:deploy-key']({ name: 'shop' }), warned.key)
})

test('an app creation that fails after GitHub took the deploy key deletes it there again', async (t) => {
  const { standIn, vault, core } = await gitHubBed(t)
  standIn.addRepo({ owner: 'octo-helvetia', name: 'shop', private: true })
  await signIn(vault, standIn)

  // The port is checked with the app's settings, after GitHub was asked for the key.
  standIn.requests.length = 0
  const bad = { name: 'shop', server: 'edge-1', repo: 'octo-helvetia/shop', port: 70000 }
  await assert.rejects(core.api['github:create-app'](bad), /port/i)
  assert.deepEqual(
    standIn.requests.map((r) => r.method),
    ['GET', 'POST', 'DELETE'],
  )
  assert.deepEqual(standIn.keysOf('octo-helvetia/shop'), [])
  assert.deepEqual(core.apps.list(), [])

  // GitHub fails to delete it: the error says which key is left and where to remove it.
  standIn.unavailable = [/^DELETE /]
  await assert.rejects(core.api['github:create-app'](bad), (error: { hint?: string }) => {
    const [left] = standIn.keysOf('octo-helvetia/shop')
    const fingerprint = left ? deployKeyInfo({ publicKey: left.key }).fingerprint : '?'
    assert.ok(
      error.hint?.includes(`The deploy key ${fingerprint} is still on octo-helvetia/shop`),
      error.hint,
    )
    return true
  })
  assert.equal(standIn.keysOf('octo-helvetia/shop').length, 1)
  assert.deepEqual(core.apps.list(), [])
})

test('a key added by hand: rotated at once, with what to do on the repository; none for a folder app', async (t) => {
  const vault = ownVault(t)
  const core = storeOnlyCore(t, vault)
  const source = { kind: 'git' as const, url: 'git@git.example.com:team/site.git' }
  await core.apps.createWithDeployKey({ name: 'site', server: 'edge-1', source }, { generate: true })
  const before = await core.api['apps:deploy-key']({ name: 'site' })
  assert.equal(before.githubKeyId, null)
  assert.match(before.publicKey, /^ssh-ed25519 \S+ helvetia-deploy-site$/)

  const rotated = await core.api['apps:rotate-deploy-key']({ name: 'site' })
  assert.equal(rotated.previousFingerprint, before.fingerprint)
  assert.notEqual(rotated.key.fingerprint, before.fingerprint)
  assert.equal(rotated.key.githubKeyId, null)
  assert.match(rotated.action ?? '', /Add the new key to the repository's deploy keys/)
  assert.ok(rotated.action?.includes(before.fingerprint), 'names the old key to remove')
  assert.deepEqual(rotated.warnings, [])
  assert.equal(await keychainKey(core, vault, 'site'), blob(rotated.key.publicKey))
  assert.deepEqual(core.apps.record('site').source, {
    ...source,
    deployKey: { publicKey: rotated.key.publicKey },
  })

  core.apps.create({ name: 'plain', server: 'edge-1', source: { kind: 'folder', path: '/srv/plain' } })
  await assert.rejects(core.api['apps:deploy-key']({ name: 'plain' }), failsWith('DEPLOY_KEY_NONE'))
  await assert.rejects(core.api['apps:rotate-deploy-key']({ name: 'plain' }), failsWith('DEPLOY_KEY_NONE'))
})

test('a server that deploys pushes by itself gets the new key in place of the old one', async (t) => {
  const bed = provisionTestbed(t)
  if (!bed) return
  const vault = ownVault(t)
  const { core, serverName, home } = await testCore(t, bed, { vault })
  const source = { kind: 'git' as const, url: 'git@git.example.com:team/pushed.git' }
  await core.apps.createWithDeployKey({ name: 'pushed', server: serverName, source }, { generate: true })
  // The app's relay runs on its server, as `relay install` and `app connect-webhook` record it (the
  // relay itself is not needed: relay-server-side.test.ts covers it).
  const db = openDatabase(home)
  const relay = 'http://relay.pushed.test'
  db.prepare('INSERT INTO relay_hosts (relay_url, server_id, created_at) VALUES (?, ?, ?)').run(
    relay,
    core.servers.get(serverName).id,
    new Date().toISOString(),
  )
  db.prepare(
    'INSERT INTO app_webhooks (app_id, relay_url, hook_id, branch, created_at) VALUES (?, ?, ?, ?, ?)',
  ).run(core.apps.record('pushed').id, relay, 'hook-1', 'main', new Date().toISOString())
  db.close()

  const rotated = await core.api['apps:rotate-deploy-key']({ name: 'pushed' })
  assert.deepEqual(rotated.warnings, [])
  const onServer = await bed.run(sh`cat "$HOME"/${`.${bed.prefix}/apps/pushed/deploy-key`}`)
  assert.equal(onServer, await vault.get(deployKeyAccount(core.apps.record('pushed').id)))
  assert.equal(blob(deployKeyPair({ privateKey: onServer }, 'check').publicKey), blob(rotated.key.publicKey))
})

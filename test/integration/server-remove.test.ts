/**
 * Removing a server that still has apps, through the API method the desktop calls: refused while it
 * has apps; with `force`, its apps are forgotten on this computer too and their secrets leave the
 * keychain, while other servers' apps stay. "This computer" stands in for the servers: it needs no
 * SSH, and nothing here contacts a server.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createCore } from '../../src-main/core/create-core'
import { UserError } from '../../src-main/core/errors'
import { createKeytarVault, type Vault } from '../../src-main/core/vault/vault'
import { APP_ROOT, tempHome } from '../support/temp-home'

test("servers:remove refuses a server with apps; force forgets them and their secrets, not other servers' apps", async (t) => {
  const home = tempHome(t)
  const keychain = createKeytarVault()
  // The keychain as the core uses it, noting which accounts it wrote.
  const written = new Set<string>()
  const vault: Vault = {
    ...keychain,
    set: async (account, secret) => {
      written.add(account)
      await keychain.set(account, secret)
    },
  }
  const core = createCore({ home, appRoot: APP_ROOT, vault, face: 'test' })
  t.after(async () => {
    for (const account of written) await keychain.delete(account)
    core.close()
  })
  for (const name of ['here', 'there']) await core.servers.add({ name, host: 'localhost', auth: 'local' })
  const source = { kind: 'folder' as const, path: home }
  core.apps.create({ name: 'web', server: 'here', source })
  core.apps.create({ name: 'other', server: 'there', source })
  await core.apps.setEnv('web', [{ key: 'TOKEN', value: `s3cret-${Date.now()}` }], true)
  const [account] = written
  assert.match(account ?? '', /^app:.+:env:TOKEN$/)

  await assert.rejects(
    core.api['servers:remove']({ name: 'here' }),
    (error) =>
      error instanceof UserError &&
      error.code === 'SERVER_HAS_APPS' &&
      error.message === 'here still has an app: web.' &&
      (error.hint ?? '').includes('`helvetia app remove web`'),
  )
  assert.deepEqual(
    core.servers.list().map((s) => s.name),
    ['here', 'there'],
  )
  assert.notEqual(await keychain.get(account ?? ''), null, 'nothing was forgotten')

  await core.api['servers:remove']({ name: 'here', force: true })
  assert.deepEqual(
    core.servers.list().map((s) => s.name),
    ['there'],
  )
  assert.deepEqual(
    core.apps.list().map((a) => a.name),
    ['other'],
  )
  assert.equal(await keychain.get(account ?? ''), null, "the forgotten app's secret left the keychain")
})

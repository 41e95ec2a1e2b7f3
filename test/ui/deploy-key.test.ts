/**
 * The Deploy key panel of the Settings tab in Chromium through the web mode, against the real core
 * (its keychain a service of the test's own). GitHub cannot be reached from the test machine: the
 * core talks to the local GitHub stand-in over real HTTP (test/support/github-standin.ts). A key
 * managed on GitHub: copied, a rotation cancelled then confirmed, the new key shown and the only one
 * on the repository. A key added by hand: rotated, with what the user has to do.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { gitHubBed, signIn } from '../integration/github-support'
import { openDashboard } from './dashboard'

const blob = (key: string) => key.split(' ').slice(0, 2).join(' ')

test('deploy key panel: copy the key, rotate it on GitHub after confirming, rotate a key added by hand', async (t) => {
  const { standIn, vault, core } = await gitHubBed(t)
  standIn.addRepo({ owner: 'octo-helvetia', name: 'shop', private: true })
  await signIn(vault, standIn)
  await core.api['github:create-app']({ name: 'shop', server: 'edge-1', repo: 'octo-helvetia/shop' })
  const before = await core.api['apps:deploy-key']({ name: 'shop' })
  const dashboard = await openDashboard(t, { core })
  if (!dashboard) return
  const { page, web } = dashboard
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: web.url })
  await page.goto(`${web.url}#/apps/shop/settings`)

  const panel = page.getByRole('region', { name: 'Deploy key' })
  await panel.getByText(before.publicKey).waitFor()
  await panel.getByText(before.fingerprint).waitFor()
  await panel.getByText('Managed on GitHub by Helvetia').waitFor()
  await panel.getByRole('button', { name: 'Copy the public key' }).click()
  await panel.getByText('Copied').waitFor()
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), before.publicKey)

  // Cancelled: nothing changes.
  await panel.getByRole('button', { name: 'Rotate key' }).click()
  const dialog = page.getByRole('dialog', { name: 'Rotate the deploy key?' })
  await dialog.getByText('Helvetia adds a new key to the repository on GitHub').waitFor()
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await dialog.waitFor({ state: 'detached' })
  assert.deepEqual(await core.api['apps:deploy-key']({ name: 'shop' }), before)

  // Confirmed: the new key is shown, and is the only one on the repository.
  await panel.getByRole('button', { name: 'Rotate key' }).click()
  await dialog.getByRole('button', { name: 'Rotate key' }).click()
  const done = panel.getByRole('status').filter({ hasText: 'Deploy key rotated' })
  await done.waitFor()
  await done.getByText('Deploys use the new key; the old one was deleted on GitHub.').waitFor()
  await done.getByText(before.fingerprint).waitFor()
  const after = await core.api['apps:deploy-key']({ name: 'shop' })
  assert.notEqual(after.publicKey, before.publicKey)
  await panel.getByText(after.publicKey).waitFor()
  assert.equal(await panel.getByText(before.publicKey).count(), 0, 'the old key is gone from the panel')
  assert.deepEqual(
    standIn.keysOf('octo-helvetia/shop').map((k) => k.key),
    [blob(after.publicKey)],
  )
  await done.getByRole('button', { name: 'Dismiss' }).click()
  await done.waitFor({ state: 'detached' })

  // Added by hand: the result says to add the new key to the repository.
  await core.apps.createWithDeployKey(
    { name: 'site', server: 'edge-1', source: { kind: 'git', url: 'git@git.example.com:team/site.git' } },
    { generate: true },
  )
  await page.goto(`${web.url}#/apps/site/settings`)
  await panel.getByText('Add it to the repository’s deploy keys (read-only)').waitFor()
  await panel.getByRole('button', { name: 'Rotate key' }).click()
  await dialog.getByText('Deploys of site fail until you add the new key').waitFor()
  await dialog.getByRole('button', { name: 'Rotate key' }).click()
  await done.getByText(/Add the new key to the repository's deploy keys \(read-only\)/).waitFor()
  const site = await core.api['apps:deploy-key']({ name: 'site' })
  await panel.getByText(site.publicKey).waitFor()
})

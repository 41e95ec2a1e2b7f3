/**
 * GitHub and push to deploy in Chromium through the web mode, against the real core. GitHub itself
 * cannot be reached from the test machine, so the core talks to the local GitHub stand-in
 * (test/support/github-standin.ts, plain HTTP on 127.0.0.1) through HELVETIA_GITHUB_URL and
 * HELVETIA_GITHUB_API_URL. The relay is real, on 127.0.0.1, and so is the keychain (a service of this
 * test's own). No app is deployed: the server record is never connected to.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { openDatabase } from '../../src-main/core/store/database'
import { gitHubBed } from '../integration/github-support'
import { postWebhook, pushPayload, testRelay } from '../support/relay'
import { openDashboard } from './dashboard'
import { webhookSecretAccount } from '../../src-main/core/vault/accounts'

test('sign in with GitHub from the New app form, pick a repository; connect a webhook and see its deliveries live', async (t) => {
  const { standIn, vault, core } = await gitHubBed(t)
  const dashboard = await openDashboard(t, { core })
  if (!dashboard) return
  const { page, web } = dashboard
  const main = page.getByRole('main')
  standIn.addRepo({
    owner: 'octo-helvetia',
    name: 'Shop.Front',
    private: true,
    pushedAt: '2025-03-02T10:00:00Z',
  })
  standIn.addRepo({ owner: 'octo-helvetia', name: 'blog', pushedAt: '2025-03-01T10:00:00Z' })
  // GitHub waits for the user until the test has seen the code, then approves.
  standIn.devicePlan = ['authorization_pending']

  // Sign-in: the device code, a way to copy it, the link to GitHub's page, then the repositories.
  await page.goto(`${web.url}#/new-app`)
  await main.getByRole('radio', { name: /A git repository/ }).check()
  await main.getByRole('button', { name: 'Sign in with GitHub' }).click()
  const code = main.getByLabel('Your code')
  await code.waitFor()
  assert.equal(await code.textContent(), standIn.lastUserCode)
  assert.equal(
    await main.getByRole('link', { name: /Open 127\.0\.0\.1/ }).getAttribute('href'),
    `${standIn.webUrl}/login/device`,
  )
  await main.getByRole('button', { name: 'Copy the code' }).waitFor()
  await main.getByRole('status').getByText('Waiting for GitHub').waitFor()
  standIn.devicePlan = ['approved']
  await main.getByText(`Signed in as ${standIn.user.login}`).waitFor()
  const repos = main.getByRole('list', { name: 'Repositories' })
  assert.deepEqual(await repos.getByRole('button').allTextContents(), [
    'octo-helvetia/Shop.Frontprivatemain',
    'octo-helvetia/blogmain',
  ])
  await main.getByLabel('Search repositories').fill('shop')
  assert.equal(await repos.getByRole('button').count(), 1)

  // Picking fills in GitHub's SSH URL, the default branch and a name; creating adds the deploy key.
  await repos.getByRole('button', { name: /Shop\.Front/ }).click()
  assert.equal(
    await main.getByLabel('Repository URL').inputValue(),
    'git@github.com:octo-helvetia/Shop.Front.git',
  )
  assert.equal(await main.getByRole('textbox', { name: /^Branch/ }).inputValue(), 'main')
  assert.equal(await main.getByLabel('Name', { exact: true }).inputValue(), 'shop-front')
  await main.getByRole('button', { name: 'Create app' }).click()
  await page.waitForURL(/#\/apps\/shop-front/)
  const [key] = standIn.keysOf('octo-helvetia/Shop.Front')
  assert.equal(key?.read_only, true)

  // Push to deploy: connect the app to a relay; the URL and secret show once, to copy.
  const relay = await testRelay(t)
  core.startBackground()
  await page.goto(`${web.url}#/apps/shop-front/settings`)
  const panel = main.getByRole('region', { name: 'Push to deploy' })
  await panel.getByText('Not connected.').waitFor()
  // Signed out, so the secret is shown rather than the webhook added on GitHub.
  await core.api['github:sign-out']()
  await panel.getByLabel('Relay URL').fill(relay.relay.url)
  await panel.getByLabel('Relay token').fill(relay.relay.token)
  await panel.getByRole('button', { name: 'Connect webhook' }).click()
  const shown = panel.getByRole('group', { name: 'Webhook for GitHub' })
  await shown.waitFor()
  const db = openDatabase(core.home)
  const appId = db.prepare("SELECT id FROM apps WHERE name = 'shop-front'").pluck().get() as string
  db.close()
  const secret = (await vault.get(webhookSecretAccount(appId))) ?? ''
  assert.ok(secret && (await shown.textContent())?.includes(secret), 'the secret is shown')
  await shown.getByRole('button', { name: 'Copy the secret' }).waitFor()
  await panel.getByText('Listening for pushes').waitFor()
  const url = (await shown.locator('.push-copy .mono').first().textContent()) ?? ''
  await shown.getByRole('button', { name: 'I have added it' }).click()
  assert.equal(await panel.getByText(secret).count(), 0, 'the secret is gone once dismissed')

  // Signed pushes reach the relay; the log shows what the watcher did with them, as it happens.
  await panel.getByText('No pushes yet.').waitFor()
  const other = await postWebhook(url, { secret, body: pushPayload('refs/heads/feature') })
  assert.equal(other.status, 202)
  await panel.getByText('Ignored: other branch').waitFor()
  const forged = await postWebhook(url, { secret: 'not-the-secret', body: pushPayload('refs/heads/main') })
  assert.equal(forged.status, 401)
  const rows = panel.getByRole('row')
  const log = panel.getByRole('table')
  await log.getByText('Refused: bad signature').waitFor()
  assert.ok((await rows.count()) >= 4, 'received, ignored and refused rows under the header')
})

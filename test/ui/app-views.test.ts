/**
 * The app views in Chromium through the web mode, against the real core and the test server: an app
 * created with the New app form, deployed from its page with live steps and log, answering through
 * the proxy; env and a secret (masked, pending until the redeploy); a rollback from the deployments
 * tab; a deployment's own page with its log; the app page at phone width.
 */
import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import type { Page } from 'playwright-core'
import { coreTestbed } from '../integration/core-support'
import { busyboxApp } from '../integration/deploy-support'
import { horizontalOverflow, openDashboard } from './dashboard'

const DEPLOY_MS = 180_000

/** The lines the log view on the page shows (its test hook), joined. */
const logText = (page: Page): Promise<string> =>
  page.evaluate(() => {
    const host = document.querySelector('.log-terminal') as
      (Element & { helvetiaLog?: { lines(): string[] } }) | null
    return host?.helvetiaLog?.lines().join('\n') ?? ''
  })

async function waitForLog(page: Page, pattern: RegExp): Promise<string> {
  let text = ''
  for (let i = 0; i < 600; i++) {
    text = await logText(page)
    if (pattern.test(text)) return text
    await page.waitForTimeout(100)
  }
  throw new Error(`The log never showed ${pattern}; it has:\n${text.slice(-2000)}`)
}

// Three deploys on a shared, busy test server: more than the default per-test time.
test(
  'app views: create, deploy, env and secret, redeploy, roll back, a deployment log, phone width',
  { timeout: 600_000 },
  async (t) => {
    const bed = await coreTestbed(t)
    if (!bed) return
    const dashboard = await openDashboard(t, { core: bed.core })
    if (!dashboard) return
    const { page, web } = dashboard
    const main = page.getByRole('main')
    const folder = await bed.folder(busyboxApp(bed.server.images.busybox, 'version one\n'))

    // The apps list starts empty and leads to the form.
    await page.goto(`${web.url}#/apps`)
    await page.getByTestId('no-apps').waitFor()
    await main.getByRole('link', { name: 'New app' }).click()
    await page.getByRole('heading', { level: 1, name: 'New app' }).waitFor()

    // The name is checked as it is typed, with the core's rule.
    const name = page.getByLabel('Name', { exact: true })
    await name.fill('9web')
    await page.getByText('Start with a letter.').waitFor()
    assert.equal(await name.getAttribute('aria-invalid'), 'true')
    await name.fill('uiweb')
    await page.getByText('Start with a letter.').waitFor({ state: 'detached' })
    assert.equal(await page.getByLabel('Server', { exact: true }).inputValue(), bed.serverName)
    await page.getByLabel('Folder', { exact: true }).fill(folder)
    await page.getByLabel(/^Domains/).fill('http://uiweb.test')
    await page.getByLabel(/^Port/).fill('8080')
    await page.getByLabel(/^Health check path/).fill('/index.html')
    // A bad memory limit comes back from the core beside its field, and the input is kept.
    await page.getByLabel(/^Memory limit/).fill('lots')
    await page.getByRole('button', { name: 'Create app' }).click()
    await page.getByText('Invalid memory limit').waitFor()
    assert.equal(await name.inputValue(), 'uiweb')
    await page.getByLabel(/^Memory limit/).fill('')
    await page.getByRole('button', { name: 'Create app' }).click()

    // The app page offers the first deploy; its steps and log stream in.
    await page.getByRole('heading', { level: 1, name: 'uiweb' }).waitFor()
    await page.getByText('Never deployed').first().waitFor()
    await page.getByRole('button', { name: 'Deploy now' }).click()
    await page.getByRole('list', { name: 'Deploy steps' }).getByRole('listitem').first().waitFor()
    await page.getByRole('region', { name: /^Log of deployment / }).waitFor()
    await waitForLog(page, /health|Step \d/i)
    await page.getByText(/Deployment \S+ is live\./).waitFor({ timeout: DEPLOY_MS })
    const first = (await page.locator('.note-success .mono').textContent()) ?? ''
    assert.match(first, /^\d{8}-\d{6}-[0-9a-f]{4}$/)
    assert.deepEqual(await bed.get('uiweb.test'), { status: 200, body: 'version one\n' })
    await page.locator('.pill-live').first().waitFor()
    await main.getByRole('link', { name: 'http://uiweb.test/' }).waitFor()

    // The sidebar lists it.
    const nav = page.getByRole('navigation', { name: 'Main' })
    assert.equal(await nav.getByRole('link', { name: 'uiweb' }).getAttribute('aria-current'), 'page')

    // Env: a plain value and a secret; the secret is masked, and both wait for a deploy.
    await page
      .getByRole('navigation', { name: 'App sections' })
      .getByRole('link', { name: 'Environment' })
      .click()
    const secret = `s3cret-${Date.now()}`
    await page.getByLabel('Name', { exact: true }).fill('GREETING')
    await page.getByLabel('Value', { exact: true }).fill('hello')
    await page.getByRole('button', { name: 'Add variable' }).click()
    const list = page.getByRole('list', { name: 'Environment variables' })
    await list.getByText('hello').waitFor()
    await page.getByText('Not deployed yet').waitFor()
    await page.getByLabel('Name', { exact: true }).fill('TOKEN')
    await page.getByLabel('Secret', { exact: true }).check()
    assert.equal(await page.getByLabel('Value', { exact: true }).getAttribute('type'), 'password')
    await page.getByLabel('Value', { exact: true }).fill(secret)
    await page.getByRole('button', { name: 'Add variable' }).click()
    await list.getByText('TOKEN').waitFor()
    await list.getByText('Secret value hidden').waitFor()
    assert.ok(!(await page.content()).includes(secret), 'the secret is not on the page')

    // Redeploy from the banner, with a new version of the folder.
    await writeFile(join(folder, 'www/index.html'), 'version two\n')
    await page.getByRole('button', { name: 'Deploy now' }).click()
    await page.getByRole('heading', { level: 2, name: 'Deploy', exact: true }).waitFor()
    await page.getByText(/Deployment \S+ is live\./).waitFor({ timeout: DEPLOY_MS })
    assert.deepEqual(await bed.get('uiweb.test'), { status: 200, body: 'version two\n' })
    assert.ok(!(await logText(page)).includes(secret), 'no secret in the streamed log')
    await page
      .getByRole('navigation', { name: 'App sections' })
      .getByRole('link', { name: 'Environment' })
      .click()
    await list.getByText('GREETING').waitFor()
    await page.getByText('Not deployed yet').waitFor({ state: 'detached' })

    // Roll back from the deployments tab: the dialog names the deployment it goes back to.
    await page
      .getByRole('navigation', { name: 'App sections' })
      .getByRole('link', { name: 'Deployments' })
      .click()
    const rows = page.getByRole('table').getByRole('row')
    await rows.nth(2).waitFor()
    assert.equal(await rows.count(), 3, 'a header and two deployments')
    const live = (await bed.core.api['apps:status']({ name: 'uiweb' })).live?.id
    assert.equal(await rows.nth(1).getByRole('cell').nth(1).textContent(), live, 'newest first')
    await page.getByRole('button', { name: `Roll back to ${first}` }).click()
    const dialog = page.getByRole('dialog', { name: 'Roll back uiweb?' })
    await dialog.getByText(first).first().waitFor()
    await dialog.getByRole('button', { name: `Roll back to ${first}` }).click()
    await page.getByRole('heading', { level: 2, name: 'Rollback', exact: true }).waitFor()
    await page.getByText(/Deployment \S+ is live\./).waitFor({ timeout: DEPLOY_MS })
    assert.deepEqual(await bed.get('uiweb.test'), { status: 200, body: 'version one\n' })

    // A deployment's own page: its record and its whole log.
    await page.goto(`${web.url}#/apps/uiweb/deployments/${first}`)
    await page.getByRole('heading', { level: 1, name: `Deployment ${first}` }).waitFor()
    await page.getByText('succeeded').first().waitFor()
    await waitForLog(page, /succeeded/)

    // The app page at phone width: nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 })
    const sections: [string, () => Promise<void>][] = [
      ['', () => page.locator('.pill-live').first().waitFor()],
      ['/deployments', () => page.getByRole('table').waitFor()],
      ['/env', () => list.waitFor()],
      ['/settings', () => page.getByRole('button', { name: 'Remove app' }).waitFor()],
    ]
    for (const [tab, shown] of sections) {
      await page.goto(`${web.url}#/apps/uiweb${tab}`)
      await shown()
      assert.ok(
        (await horizontalOverflow(page)) <= 0,
        `no horizontal overflow at 390 px on #/apps/uiweb${tab}`,
      )
    }
  },
)

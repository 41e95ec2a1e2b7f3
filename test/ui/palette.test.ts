import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import type { Page } from 'playwright-core'
import { openDashboard } from './dashboard'

// A server on a loopback port nothing listens on: the app's status reads fail fast and stay local.
const SERVERS = [{ name: 'edge-1', host: '127.0.0.1', port: 9, user: 'deploy' }]

async function withApp(t: Parameters<typeof openDashboard>[0]) {
  const dashboard = await openDashboard(t, { servers: SERVERS })
  if (!dashboard) return undefined
  const folder = await mkdtemp(join(tmpdir(), 'helvetia-palette-'))
  t.after(() => rm(folder, { recursive: true, force: true }))
  dashboard.core.apps.create({ name: 'shop', server: 'edge-1', source: { kind: 'folder', path: folder } })
  // The app reaches the page through apps:watch, as any change in the core does.
  await dashboard.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'shop' }).waitFor()
  return dashboard
}

/** The option the combobox points at, by its text. */
const activeOption = (page: Page): Promise<string | null> =>
  page.evaluate(() => {
    const input = document.querySelector('[role="combobox"]')
    const id = input?.getAttribute('aria-activedescendant')
    return id
      ? (document.getElementById(id)?.querySelector('.palette-option-label')?.textContent ?? null)
      : null
  })

test('Ctrl+K opens the palette; typing filters it; running "Switch theme: Light" switches the theme', async (t) => {
  const dashboard = await withApp(t)
  if (!dashboard) return
  const { page } = dashboard
  await page.emulateMedia({ colorScheme: 'dark' })
  const link = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'edge-1' })
  await link.focus()

  await page.keyboard.press('Control+k')
  const dialog = page.getByRole('dialog', { name: 'Command palette' })
  await dialog.waitFor()
  assert.equal(await dialog.getAttribute('aria-modal'), 'true')
  const input = dialog.getByRole('combobox', { name: 'Search servers, apps and actions' })
  assert.ok(await input.evaluate((el) => el === document.activeElement), 'the search field has focus')
  const listId = await input.getAttribute('aria-controls')
  assert.equal(await page.locator(`[id="${listId}"]`).getAttribute('role'), 'listbox')
  // Every server, app and action, grouped.
  const labels = await dialog.locator('.palette-group-label').allTextContents()
  assert.deepEqual(labels, ['Apps', 'Servers', 'Actions', 'Go to', 'Theme'])
  assert.equal(await activeOption(page), 'shop')

  // Arrows wrap, Home and End jump; the option the input points at is the selected one.
  await page.keyboard.press('End')
  assert.equal(await activeOption(page), 'Switch theme: System')
  assert.equal(await dialog.getByRole('option').last().getAttribute('aria-selected'), 'true')
  await page.keyboard.press('ArrowDown')
  assert.equal(await activeOption(page), 'shop')
  await page.keyboard.press('ArrowUp')
  assert.equal(await activeOption(page), 'Switch theme: System')
  await page.keyboard.press('Home')
  await page.keyboard.press('ArrowDown')
  assert.equal(await activeOption(page), 'edge-1')

  await input.pressSequentially('theme light')
  assert.equal(await activeOption(page), 'Switch theme: Light')
  const option = dialog.getByRole('option', { name: 'Switch theme: Light' })
  assert.equal(await option.getAttribute('aria-selected'), 'true')
  assert.deepEqual(await option.locator('mark').allTextContents(), ['theme', 'Light'])

  const before = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)
  await page.keyboard.press('Enter')
  await dialog.waitFor({ state: 'detached' })
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light')
  assert.ok(
    await page.getByRole('group', { name: 'Theme' }).getByRole('radio', { name: 'Light' }).isChecked(),
  )
  const after = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)
  assert.notEqual(after, before, 'the page is drawn in the light theme')
  assert.ok(await link.evaluate((el) => el === document.activeElement), 'focus went back where it was')
})

test('the palette reaches an app, asks before a rollback, and Escape closes it with focus restored', async (t) => {
  const dashboard = await withApp(t)
  if (!dashboard) return
  const { page } = dashboard
  const button = page.getByRole('button', { name: /Search and run/ })
  await button.click()
  const dialog = page.getByRole('dialog', { name: 'Command palette' })
  const input = dialog.getByRole('combobox')

  // Fuzzy: scattered letters find it too, highlighted where they matched.
  await input.fill('edg1')
  const server = dialog.getByRole('group', { name: 'Servers' }).getByRole('option', { name: /edge-1/ })
  assert.equal(await server.getAttribute('aria-selected'), 'true')
  assert.deepEqual(await server.locator('mark').allTextContents(), ['edg', '1'])
  await input.fill('zzzz')
  await dialog.getByText('Nothing matches “zzzz”.').waitFor()
  assert.equal(await input.getAttribute('aria-expanded'), 'false')

  // A rollback asks first, inside the palette; Escape steps back to the list.
  await input.fill('roll back shop')
  assert.equal(await activeOption(page), 'Roll back shop')
  await page.keyboard.press('Enter')
  await dialog.getByRole('heading', { name: 'Roll back shop?' }).waitFor()
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Cancel')
  await page.keyboard.press('Escape')
  await input.waitFor()
  assert.ok(await input.evaluate((el) => el === document.activeElement))

  // Escape closes; focus returns to the button that opened it.
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'detached' })
  assert.ok(await button.evaluate((el) => el === document.activeElement), 'focus is back on the button')

  // A click on an option runs it: the app's page opens.
  await page.keyboard.press('Control+k')
  await input.fill('shop')
  await dialog.getByRole('group', { name: 'Apps' }).getByRole('option', { name: /shop/ }).click()
  await dialog.waitFor({ state: 'detached' })
  assert.equal(new URL(page.url()).hash, '#/apps/shop')
  await page.getByRole('heading', { level: 1, name: 'shop' }).waitFor()

  // And from the keyboard, a tab of it.
  await page.keyboard.press('Control+k')
  await input.fill('shop env')
  assert.equal(await activeOption(page), 'shop: Environment')
  await page.keyboard.press('Enter')
  await page.waitForURL(/#\/apps\/shop\/env$/)
})

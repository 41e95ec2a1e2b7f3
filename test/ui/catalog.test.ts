/**
 * The Catalogue in Chromium through the web mode, against the real core (its shipped templates and
 * its renderer): browse, search and a category, a template's details, the install form's preview with
 * the generated secret masked until revealed, the palette's "Install …", and an import from a
 * Dokploy-style file shown before it is saved, then removed: a template renders with the server's
 * record only (its address names the default domain). Then, on the test server: an app installed at
 * an older template version shows its update and the upgrade's plan (diff, kept values), and the
 * install form creates a catalogue app and starts its first deploy.
 */
import assert from 'node:assert/strict'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'
import { coreTestbed } from '../integration/core-support'
import { openDashboard, UI_PREFIX } from './dashboard'

const DOKPLOY_UMAMI = fileURLToPath(new URL('../fixtures/catalog/dokploy/umami', import.meta.url))

test('catalogue: browse, search, a category, details, the install preview’s reveal, import', async (t) => {
  const dashboard = await openDashboard(t, { servers: [{ name: 'edge-1', host: '127.0.0.1' }] })
  if (!dashboard) return
  const { page, core } = dashboard
  const main = page.getByRole('main')

  // Browse: the sidebar leads to every shipped template.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Catalogue' }).click()
  await page.getByRole('heading', { level: 1, name: 'Catalogue' }).waitFor()
  const cards = page.getByRole('list', { name: 'Templates' }).getByRole('listitem')
  await cards.first().waitFor()
  const total = (await core.api['catalog:list']()).length
  assert.ok(total >= 25, `${total} templates`)
  assert.equal(await cards.count(), total)

  // Search narrows to the matching cards; the count says so.
  const search = page.getByRole('searchbox', { name: 'Search the catalogue' })
  await search.fill('UPTIME')
  await main.getByText(`1 of ${total} templates`).waitFor()
  assert.deepEqual(await cards.locator('.template-name').allTextContents(), ['Uptime Kuma'])
  await search.fill('no such app anywhere')
  await page.getByTestId('no-templates').waitFor()
  await search.fill('')

  // A category shows only its templates.
  await page.getByRole('radio', { name: /^search \d+$/ }).check()
  await main.getByText(/^\d+ of \d+ templates$/).waitFor()
  for (const category of await cards.locator('.chip').allTextContents()) assert.equal(category, 'search')
  await cards.getByRole('link', { name: 'Meilisearch' }).click()

  // Details: the service and its pinned image, the volume, the variables and where their values come from.
  await page.getByRole('heading', { level: 1, name: 'Meilisearch' }).waitFor()
  const services = page.getByRole('table', { name: 'Services of the template' })
  await services.getByText('getmeili/meilisearch:v1.11.1').waitFor()
  await page.getByRole('list', { name: 'Volumes' }).getByText('/meili_data').waitFor()
  await main.getByText('Generated: 32 random bytes (base64)').first().waitFor()

  // The install form: a name of this file's own, the preview renders, the secret masked until revealed.
  await page.getByLabel('App name', { exact: true }).fill(`${UI_PREFIX}search`)
  const secret = page.getByTestId('value-MASTER_KEY')
  await secret.waitFor()
  const masked = (await secret.textContent()) ?? ''
  await page.getByTestId('value-DOMAIN').getByText(`${UI_PREFIX}search.127.0.0.1.sslip.io`).waitFor()
  await page.getByRole('button', { name: 'Reveal values' }).click()
  await page.getByRole('button', { name: 'Hide values', pressed: true }).waitFor()
  await secret.filter({ hasNotText: masked }).waitFor()
  const revealed = (await secret.textContent()) ?? ''
  // 32 bytes in base64: 44 characters.
  assert.equal(revealed.length, 44, revealed)
  // Hidden again, and the same value comes back on the next reveal: it is the one the install sends.
  await page.getByRole('button', { name: 'Hide values' }).click()
  await secret.filter({ hasText: masked }).waitFor()
  await page.getByRole('button', { name: 'Reveal values' }).click()
  await secret.filter({ hasText: revealed }).waitFor()
  // The name is checked as typed, with the core's rule.
  await page.getByLabel('App name', { exact: true }).fill('9search')
  await page.getByText('Start with a letter.').waitFor()

  // The palette installs from the catalogue by name.
  await page.keyboard.press('Control+k')
  const palette = page.getByRole('dialog', { name: 'Command palette' })
  await palette.getByRole('combobox').pressSequentially('install uptime')
  await palette.getByRole('option', { name: /^Install Uptime Kuma/ }).click()
  await page.getByRole('heading', { level: 1, name: 'Uptime Kuma' }).waitFor()

  // Import: the file is read and shown in Helvetia's model before anything is saved.
  await page.goto(`${dashboard.web.url}#/catalog`)
  await page.getByRole('button', { name: 'Import template' }).click()
  const dialog = page.getByRole('dialog', { name: 'Import a template' })
  await dialog.getByLabel('File or URL').fill(DOKPLOY_UMAMI)
  await dialog.getByLabel('Format').selectOption('dokploy')
  await dialog.getByRole('button', { name: 'Read template' }).click()
  const result = dialog.getByRole('region', { name: 'Imported template' })
  await result.getByRole('table', { name: 'Services of the template' }).waitFor()
  assert.equal(
    (await core.api['catalog:list']()).filter((t) => t.origin === 'imported').length,
    0,
    'nothing saved before Save',
  )
  // Its id is its folder's, umami: a built-in one, so Save is refused with what to do.
  await dialog.getByRole('button', { name: 'Save to catalogue' }).click()
  await dialog
    .getByRole('alert')
    .getByText(/built-in/i)
    .first()
    .waitFor()
  // The same blueprint in a folder of another name saves.
  const folder = mkdtempSync(join(tmpdir(), 'helvetia-import-'))
  t.after(() => rmSync(folder, { recursive: true, force: true }))
  const copy = join(folder, `${UI_PREFIX}-stats`)
  cpSync(DOKPLOY_UMAMI, copy, { recursive: true })
  await dialog.getByLabel('File or URL').fill(copy)
  await dialog.getByRole('button', { name: 'Read template' }).click()
  await result.getByText(`(${UI_PREFIX}-stats)`).waitFor()
  await dialog.getByRole('button', { name: 'Save to catalogue' }).click()
  await page.getByRole('button', { name: 'Remove template' }).waitFor()
  const imported = (await core.api['catalog:list']()).filter((t) => t.origin === 'imported')
  assert.equal(imported.length, 1)
  // Listed with its origin on the Catalogue page, then removed from its own page.
  await page.goto(`${dashboard.web.url}#/catalog`)
  const importedList = page.getByRole('list', { name: 'Imported templates' })
  await importedList
    .getByText(imported[0]?.id ?? '?', { exact: false })
    .first()
    .waitFor()
  await importedList.getByRole('link').first().click()
  await page.getByRole('button', { name: 'Remove template' }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Remove template' }).click()
  await page.getByRole('heading', { level: 1, name: 'Catalogue' }).waitFor()
  assert.equal((await core.api['catalog:list']()).filter((t) => t.origin === 'imported').length, 0)
})

test(
  'catalogue: install from the form, an installed app’s update and its upgrade plan',
  { timeout: 600_000 },
  async (t) => {
    const bed = await coreTestbed(t)
    if (!bed) return
    const { api } = bed.core
    // umami at its older template version: the catalogue has a newer one.
    const older = `${UI_PREFIX}old`
    await api['apps:create']({
      name: older,
      server: bed.serverName,
      source: { kind: 'catalog', template: 'umami', version: '1.0.0' },
    })
    const dashboard = await openDashboard(t, { core: bed.core })
    if (!dashboard) return
    const { page, web } = dashboard

    // Listed with its update; its page says so and shows the upgrade's plan before anything runs.
    await page.goto(`${web.url}#/apps`)
    await page.getByRole('list', { name: 'Apps' }).getByText('Update available: 1.1.0').waitFor()
    await page.goto(`${web.url}#/apps/${older}`)
    await page.getByText('Update available: umami 1.0.0 → 1.1.0').waitFor()
    await page.getByRole('button', { name: 'Upgrade…' }).click()
    const dialog = page.getByRole('dialog', { name: `Upgrade ${older} to 1.1.0?` })
    const plan = await api['catalog:upgrade-plan']({ name: older, to: '1.1.0' })
    await dialog.getByText(`umami 1.0.0 → 1.1.0`).waitFor()
    const firstChange = plan.diff.split('\n').find((line) => /^[+-][^+-]/.test(line)) ?? ''
    assert.ok(firstChange, plan.diff)
    await dialog.getByText(firstChange.trim().slice(1).trim(), { exact: false }).first().waitFor()
    for (const kept of plan.kept.slice(0, 2)) await dialog.getByText(kept, { exact: false }).first().waitFor()
    await dialog.getByRole('button', { name: 'Cancel' }).click()

    // Install from the form: the app is created as a catalogue app of the template's newest version.
    const name = `${UI_PREFIX}kuma`
    await page.goto(`${web.url}#/catalog/uptime-kuma`)
    await page.getByLabel('App name', { exact: true }).fill(name)
    await page.getByTestId('value-DOMAIN').getByText(name).waitFor()
    await page.getByRole('button', { name: 'Install and deploy' }).click()
    await page.getByRole('heading', { level: 1, name }).waitFor({ timeout: 60_000 })
    // Its first deploy starts at once, as the New app flow's Deploy does.
    await page.getByRole('region', { name: 'Deploy', exact: true }).waitFor()
    const app = await api['apps:get']({ name })
    assert.deepEqual(app.source, { kind: 'catalog', template: 'uptime-kuma', version: '1.0.0' })
  },
)

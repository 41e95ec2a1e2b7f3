/**
 * The first-run guide: where a new user lands, and its checklist following the real data as servers
 * and apps appear in the core. The steps' own screens (wizard, provisioning, new app, deploy) have
 * their own tests; here the core is changed directly and the guide must follow it live.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import type { Page } from 'playwright-core'
import { openDashboard } from './dashboard'

const stepStates = (page: Page): Promise<string[]> =>
  page
    .getByRole('list', { name: 'Steps to a live app' })
    .locator(':scope > li')
    .evaluateAll((items) =>
      items.map(
        (item) =>
          `${item.querySelector('.step-message')?.textContent}: ${item.querySelector('.step-status')?.textContent}`,
      ),
    )

test('a first run lands on the guide, whose checklist follows the servers and apps in the core', async (t) => {
  const dashboard = await openDashboard(t)
  if (!dashboard) return
  const { page, core } = dashboard
  await page.getByRole('heading', { level: 1, name: 'Welcome to Helvetia' }).waitFor()
  assert.equal(new URL(page.url()).hash, '#/welcome')
  await page.getByText('0 of 4 done', { exact: true }).waitFor()
  assert.deepEqual(await stepStates(page), [
    'Connect a server: Waiting',
    'Provision it: Waiting',
    'Create an app: Waiting',
    'Deploy it: Waiting',
  ])

  // "Use this computer" opens the connect wizard with this computer chosen.
  await page.getByRole('button', { name: 'Use this computer' }).click()
  await page.getByRole('heading', { name: 'Address and authentication' }).waitFor()
  assert.ok(await page.getByRole('radio', { name: /This computer/ }).isChecked())
  assert.equal(await page.getByLabel('Name').inputValue(), 'this-computer')
  const nav = page.getByRole('navigation', { name: 'Main' })
  await nav.getByRole('link', { name: /Getting started/ }).click()

  // A server appears (added as this computer: no SSH; the app status reads below only read files),
  // and the guide moves on to provisioning it, right here.
  await core.servers.add({ name: 'this-computer', host: 'localhost', auth: 'local' })
  await page.getByText('1 of 4 done', { exact: true }).waitFor()
  assert.deepEqual((await stepStates(page)).slice(0, 2), ['Connect a server: Done', 'Provision it: Waiting'])
  await page.getByRole('region', { name: 'Reverse proxy and certificates' }).waitFor()

  // An app appears: creating it counts as done and deploying it is offered.
  const folder = await mkdtemp(join(tmpdir(), 'helvetia-onboarding-'))
  t.after(() => rm(folder, { recursive: true, force: true }))
  core.apps.create({ name: 'shop', server: 'this-computer', source: { kind: 'folder', path: folder } })
  await page.getByText('2 of 4 done', { exact: true }).waitFor()
  const states = await stepStates(page)
  assert.equal(states[2], 'Create an app: Done')
  assert.equal(states[3], 'Deploy it: Waiting')
  await page.getByRole('button', { name: 'Deploy shop' }).waitFor()
  await nav.getByRole('link', { name: /Getting started.*2 of 4 done/ }).waitFor()
  await page.getByRole('link', { name: 'Provision this-computer' }).waitFor()

  // No longer a first run: the landing page stays the servers page from now on.
  await page.goto(`${dashboard.web.url}#/servers`)
  await page.reload()
  await page.getByRole('heading', { level: 1, name: 'Servers' }).waitFor()
})

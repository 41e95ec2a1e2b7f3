/**
 * axe-core on the main screens, in both themes, with real data behind them (the test server added and
 * provisioned, an app deployed to it): no serious or critical violation may be found.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { test } from 'node:test'
import type { Page } from 'playwright-core'
import type { AxeResults } from 'axe-core'
import type { DeployProgress } from '../../src-main/api/contract'
import { coreTestbed } from '../integration/core-support'
import { busyboxApp } from '../integration/deploy-support'
import { ownVault } from '../integration/github-support'
import { openDashboard } from './dashboard'

// Evaluated over the DevTools protocol: the page's CSP (script-src 'self') refuses an injected <script>.
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** The serious and critical violations on the page as it is now, one line per element. */
async function violations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE)
  const results = (await page.evaluate(() =>
    (window as unknown as { axe: { run(): Promise<unknown> } }).axe.run(),
  )) as AxeResults
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) =>
      violation.nodes.map(
        (node) =>
          `${violation.impact} ${violation.id}: ${node.target.join(' ')}: ${node.failureSummary?.split('\n').at(-1)?.trim()}`,
      ),
    )
}

test('the main screens have no serious or critical axe violations, in both themes', async (t) => {
  // A keychain of the test's own: the deploy key below is not left in Helvetia's.
  const bed = await coreTestbed(t, { vault: ownVault(t) })
  if (!bed) return
  const { api } = bed.core
  const folder = await bed.folder(busyboxApp(bed.server.images.busybox, 'hello\n'))
  await api['apps:create']({
    name: 'axeweb',
    server: bed.serverName,
    source: { kind: 'folder', path: folder },
    port: 8080,
    // The HTTPS one puts a certificate chip (Caddy's local CA: not trusted) on the app's page.
    domains: ['http://axeweb.test', 'axeweb.localhost'],
  })
  await api['env:set']({ name: 'axeweb', vars: [{ key: 'TOKEN', value: 'secret-value' }], secret: true })
  let last: DeployProgress | undefined
  for await (const event of api['apps:deploy']({ name: 'axeweb' }, new AbortController().signal)) last = event
  if (last?.type !== 'done') throw new Error(`the deploy ended without a record: ${JSON.stringify(last)}`)
  assert.equal(last.deployment.status, 'succeeded', JSON.stringify(last.deployment.error))
  const deploymentId = last.deployment.id
  // A git app with a deploy key added by hand (never deployed: its Settings tab is what is checked).
  await bed.core.apps.createWithDeployKey(
    { name: 'axegit', server: bed.serverName, source: { kind: 'git', url: 'git@git.example.com:o/r.git' } },
    { generate: true },
  )

  // A database linked to the app: the Databases screens have a row, a page and a linked app to show.
  const postgres = process.env.HELVETIA_TEST_IMAGE_POSTGRES
  if (postgres) {
    const input = {
      name: 'axedb',
      server: bed.serverName,
      engine: 'postgres',
      version: '15',
      image: postgres,
    } as const
    for await (const event of api['databases:create'](input, new AbortController().signal)) void event
    await api['databases:link']({ name: 'axedb', app: 'axeweb' })
  }

  // A scheduled job whose run failed: the overview flags it, the Processes tab lists it with its log.
  await api['jobs:add']({
    app: 'axeweb',
    name: 'nightly',
    cron: '0 3 * * *',
    command: 'echo working; exit 3',
  })
  const run = await api['jobs:run']({ app: 'axeweb', name: 'nightly' })
  assert.equal(run.state, 'failed', JSON.stringify(run))

  const dashboard = await openDashboard(t, { core: bed.core })
  if (!dashboard) return
  const { page, web } = dashboard
  const screens: [hash: string, prepare?: (page: Page) => Promise<void>][] = [
    ['#/servers'],
    [`#/servers/${bed.serverName}`, (p) => p.getByRole('button', { name: 'Check' }).click()],
    // The wizard with its field errors showing.
    ['#/connect', (p) => p.getByRole('button', { name: 'Continue' }).click()],
    ['#/welcome', (p) => p.getByRole('heading', { name: 'axeweb is live' }).waitFor()],
    [
      '#/apps/axeweb',
      async (p) => {
        await p.getByText('http://axeweb.test').first().waitFor()
        await p.getByText('Scheduled job nightly failed').waitFor()
      },
    ],
    // Process types and the jobs, the failed run's log open.
    [
      '#/apps/axeweb/processes',
      async (p) => {
        await p.getByRole('table', { name: 'Process types' }).waitFor()
        await p.getByRole('table', { name: 'Scheduled jobs' }).getByRole('button', { name: 'Log' }).click()
        await p.getByRole('dialog').getByText('working').waitFor()
      },
    ],
    // A process type's page: its log and metrics.
    ['#/apps/axeweb/services/web', (p) => p.locator('.xterm-rows').first().waitFor()],
    // The catalogue, a template with its install preview revealed, the import dialog.
    ['#/catalog', (p) => p.getByRole('list', { name: 'Templates' }).waitFor()],
    [
      '#/catalog/meilisearch',
      async (p) => {
        await p.getByTestId('value-MASTER_KEY').waitFor()
        await p.getByRole('button', { name: 'Reveal values' }).click()
        await p.getByRole('button', { name: 'Hide values' }).waitFor()
      },
    ],
    ['#/catalog', (p) => p.getByRole('button', { name: 'Import template' }).click()],
    // The New app form with a folder's build plan.
    [
      '#/new-app',
      async (p) => {
        await p.getByRole('textbox', { name: 'Folder' }).fill(folder)
        await p.getByRole('region', { name: 'Build plan' }).locator('.properties, .note').first().waitFor()
      },
    ],
    ['#/apps/axeweb/deployments', (p) => p.getByText(deploymentId).first().waitFor()],
    [`#/apps/axeweb/deployments/${deploymentId}`, (p) => p.locator('.xterm-rows').first().waitFor()],
    ['#/apps/axeweb/env', (p) => p.getByText('TOKEN').first().waitFor()],
    // The settings form with a field error showing.
    [
      '#/apps/axeweb/settings',
      async (p) => {
        await p.getByLabel(/^CPUs/).fill('-1')
        await p.getByRole('button', { name: 'Save settings' }).click()
      },
    ],
    ['#/apps/axeweb/logs', (p) => p.locator('.xterm-rows').first().waitFor()],
    // The deploy key just rotated, with what to do next.
    [
      '#/apps/axegit/settings',
      async (p) => {
        await p.getByRole('button', { name: 'Rotate key' }).click()
        await p.getByRole('dialog').getByRole('button', { name: 'Rotate key' }).click()
        await p.getByText('Deploy key rotated').waitFor()
      },
    ],
    ['#/databases', (p) => p.getByRole('table', { name: 'Databases' }).getByText('axedb').waitFor()],
    ['#/databases/axedb', (p) => p.getByRole('list', { name: 'Linked apps' }).getByText('axeweb').waitFor()],
    // The form with its field errors showing.
    ['#/new-database', (p) => p.getByRole('button', { name: 'Create database' }).click()],
    ['#/backup-targets', (p) => p.getByRole('button', { name: 'Add target' }).click()],
    // The palette open over a page, filtered.
    [
      '#/apps/axeweb',
      async (p) => {
        await p.keyboard.press('Control+k')
        await p.getByRole('combobox').pressSequentially('axe')
      },
    ],
  ]
  const found: string[] = []
  for (const [hash, prepare] of screens) {
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.goto(`${web.url}${hash}`)
    await page.getByRole('heading', { level: 1 }).first().waitFor()
    await prepare?.(page)
    await page.locator('[aria-busy="true"]').first().waitFor({ state: 'detached', timeout: 15_000 })
    // The same screen in each theme: only the colours change.
    for (const scheme of ['dark', 'light'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      // Colours change with a short transition: measure them where they settle.
      await page.evaluate(() =>
        Promise.all(
          document
            .getAnimations()
            .filter((animation) => animation instanceof CSSTransition)
            .map((animation) => animation.finished.catch(() => animation)),
        ),
      )
      for (const line of await violations(page)) found.push(`${scheme} ${hash}: ${line}`)
    }
    await page.keyboard.press('Escape')
  }
  assert.deepEqual(found, [], `axe found:\n${found.join('\n')}`)
})

test('the first-run welcome and the palette on it have no serious or critical axe violations', async (t) => {
  for (const colorScheme of ['dark', 'light'] as const) {
    const dashboard = await openDashboard(t, { colorScheme, viewport: { width: 390, height: 844 } })
    if (!dashboard) return
    const { page } = dashboard
    await page.getByRole('heading', { level: 1, name: 'Welcome to Helvetia' }).waitFor()
    assert.deepEqual(await violations(page), [], `${colorScheme} welcome`)
    await page.getByRole('button', { name: /Search and run/ }).click()
    await page.getByRole('combobox').pressSequentially('theme')
    assert.deepEqual(await violations(page), [], `${colorScheme} palette`)
  }
})

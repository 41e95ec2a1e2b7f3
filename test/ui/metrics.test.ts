/**
 * The metrics charts in Chromium through the web mode, against the real core and the test server:
 * the server page's Metrics panel fills with live samples (CPU, memory, network, disk, each with its
 * numbers as text), the range picker works from the keyboard and shows the stored day, the colours
 * follow the theme, the app page's metrics tab charts its container, and all of it fits 390 px.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Locator } from 'playwright-core'
import type { MetricSample } from '../../src-main/api/contract'
import { createMetricsStore } from '../../src-main/core/store/metrics-store'
import { sh } from '../../src-main/core/shell/quote'
import { openDatabase } from '../../src-main/core/store/database'
import { coreTestbed } from '../integration/core-support'
import { horizontalOverflow, openDashboard } from './dashboard'

const HOUR = 60 * 60 * 1000

/** The `d` of the chart's first line: drawn once it has at least two points. */
const curve = (figure: Locator): Promise<string | null> =>
  figure.locator('.recharts-area-curve').first().getAttribute('d')

test('metrics: live charts on the server page, range picker, theme colours, app tab, phone width', async (t) => {
  const bed = await coreTestbed(t)
  if (!bed) return
  const { core } = bed
  const server = core.servers.get(bed.serverName)

  // A day the store already holds: one point, 20 hours ago, receiving 3 TiB/s (no live sample comes near).
  const db = openDatabase(core.home)
  t.after(() => db.close())
  const old: MetricSample = {
    ts: Date.now() - 20 * HOUR,
    cpu: 50,
    memUsed: 2 ** 30,
    memTotal: 2 ** 33,
    netRx: 3 * 2 ** 40,
    netTx: 500,
    diskUsed: 2 ** 34,
    diskTotal: 2 ** 36,
  }
  createMetricsStore(db).add(server.id, [{ app: null, sample: old }], 60)

  // An app with a running container, labelled as a deploy labels it.
  core.apps.create({ name: 'charts', server: bed.serverName, source: { kind: 'folder', path: core.home } })
  const container = `${bed.prefix}-charts`
  bed.cleanup(sh`docker rm -f ${container} >/dev/null 2>&1; true`)
  await bed.run(
    sh`docker run -d --name ${container} --label ${`dev.helvetia.prefix=${bed.prefix}`} ` +
      sh`--label dev.helvetia.app=charts ${bed.server.images.busybox} sleep 600 >/dev/null`,
  )

  const dashboard = await openDashboard(t, { core })
  if (!dashboard) return
  const { page, web } = dashboard
  await page.goto(`${web.url}#/servers/${bed.serverName}`)
  const panel = page.getByRole('region', { name: 'Metrics' })
  await panel.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: 60_000 })

  // Four charts, each a figure named by its title, drawn once two samples arrived.
  const figures = ['CPU', 'Memory', 'Network', 'Disk'].map((name) => panel.getByRole('figure', { name }))
  for (const figure of figures) await figure.waitFor()
  const cpu = figures[0] as Locator
  await page.waitForFunction(
    () => (document.querySelector('.metric-chart .recharts-area-curve')?.getAttribute('d') ?? '').length > 0,
    undefined,
    { timeout: 60_000 },
  )
  assert.match((await curve(cpu)) ?? '', /^M[\d.]+,[\d.]+/)

  // The numbers as text: a table per chart, and memory and disk in use as meters.
  const memoryRow = figures[1]?.getByRole('row', { name: /Used/ })
  assert.match((await memoryRow?.getByRole('cell').first().textContent()) ?? '', /\d.* (KiB|MiB|GiB)$/)
  assert.match((await cpu.getByRole('cell').first().textContent()) ?? '', /^(\d+(\.\d)? %|—)$/)
  const memoryMeter = panel.getByRole('meter', { name: 'Memory in use' })
  assert.ok(Number(await memoryMeter.getAttribute('value')) > 0)
  await panel.getByRole('meter', { name: 'Disk in use' }).waitFor()
  assert.match(
    (await panel
      .getByText(/ of .* \(\d+ %\)/)
      .first()
      .textContent()) ?? '',
    /GiB/,
  )

  // The chart's colour is the theme's accent token, and follows a theme switch.
  const stroke = (): Promise<string> =>
    cpu
      .locator('.recharts-area-curve')
      .first()
      .evaluate((path) => getComputedStyle(path).stroke)
  const accent = (): Promise<string> =>
    page.evaluate(() => {
      const probe = document.createElement('span')
      probe.style.color = 'var(--accent)'
      document.body.append(probe)
      const color = getComputedStyle(probe).color
      probe.remove()
      return color
    })
  const darkStroke = await stroke()
  assert.equal(darkStroke, await accent())
  await page.getByRole('group', { name: 'Theme' }).getByRole('radio', { name: 'Light' }).check()
  assert.equal(await stroke(), await accent())
  assert.notEqual(await stroke(), darkStroke)

  // The range picker from the keyboard: Tab reaches it, arrows move through the ranges.
  const ranges = panel.getByRole('group', { name: 'Time range' })
  const hour = ranges.getByRole('radio', { name: '1 hour' })
  assert.equal(await hour.isChecked(), true)
  await hour.focus()
  await page.keyboard.press('ArrowRight')
  await page.keyboard.press('ArrowRight')
  assert.equal(await ranges.getByRole('radio', { name: '24 hours' }).isChecked(), true)
  // The stored day is there: its 3 TiB/s is the highest the network received in the range.
  await figures[2]
    ?.getByRole('row', { name: /Received/ })
    .getByRole('cell')
    .nth(2)
    .filter({ hasText: '3 TiB/s' })
    .waitFor()
  await panel.getByText('each point averages 5 min').waitFor()

  // The app's tab: its container's CPU, memory and network, no disk.
  await page.goto(`${web.url}#/apps/charts/metrics`)
  const appPanel = page.getByRole('region', { name: 'Metrics' })
  await appPanel.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: 60_000 })
  const appMemory = appPanel.getByRole('figure', { name: 'Memory' })
  await appMemory
    .getByRole('row', { name: /Used/ })
    .getByRole('cell')
    .first()
    .filter({ hasText: /B$/ })
    .waitFor({ timeout: 60_000 })
  assert.equal(await appPanel.getByRole('figure').count(), 3)
  assert.equal(await appPanel.getByRole('figure', { name: 'Disk' }).count(), 0)

  // Phone width: the charts shrink to fit, nothing scrolls sideways.
  await page.setViewportSize({ width: 390, height: 844 })
  await page.goto(`${web.url}#/servers/${bed.serverName}`)
  await page.getByRole('region', { name: 'Metrics' }).getByRole('figure', { name: 'Disk' }).waitFor()
  await page.waitForFunction(() => document.querySelectorAll('.metric-chart svg').length === 4)
  assert.ok((await horizontalOverflow(page)) <= 0, 'no sideways scrolling at 390 px')
  const width = await page
    .getByRole('figure', { name: 'CPU' })
    .evaluate((figure) => figure.getBoundingClientRect().width)
  assert.ok(width <= 390, `the CPU chart is ${width}px wide`)
})

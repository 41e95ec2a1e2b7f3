/**
 * The log viewer (src-renderer/src/logs) in Chromium, on the app pages, against the real core and test
 * server: a deployed busybox app's build log (known lines from its build) on its deployment page, and
 * its runtime log (a line every tenth of a second) on its logs tab. The lines are read from xterm's
 * buffer through the view's test hook (`helvetiaLog` on the terminal's element).
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import type { Page } from 'playwright-core'
import type { DeployProgress } from '../../src-main/api/contract'
import { coreTestbed } from '../integration/core-support'
import { openDashboard } from './dashboard'

const APP = 'logweb'

/**
 * Prints marker lines with levels, a link and 400 numbered lines while the image builds. Its first line
 * is unique to the run: Docker's layer cache is shared with every earlier run on this machine, and a
 * cached step prints nothing.
 */
const BUILD_SCRIPT = [
  `# run ${randomUUID()}`,
  'echo "ERROR something broke: marker-error"',
  'echo "WARN disk nearly full: marker-warn"',
  'echo "INFO the docs are at https://docs.example.test/logs"',
  'i=0; while [ $i -lt 400 ]; do echo "filler line $i"; i=$((i+1)); done',
  '',
].join('\n')

/** Serves the page in the background and writes `tick N` ten times a second. */
const RUN_SCRIPT = [
  'httpd -p 8080 -h /www',
  'i=0; while true; do echo "tick $i"; i=$((i+1)); sleep 0.1; done',
  '',
].join('\n')

/** What the view on the page shows, from xterm's buffer: one entry per log line. */
const shownLines = (page: Page): Promise<string[]> =>
  page
    .locator('.log-terminal')
    .evaluate((el) => (el as HTMLElement & { helvetiaLog: { lines(): string[] } }).helvetiaLog.lines())

async function waitForLines(page: Page, test: (lines: string[]) => boolean, what: string): Promise<string[]> {
  const until = Date.now() + 60_000
  for (;;) {
    const lines = await shownLines(page)
    if (test(lines)) return lines
    if (Date.now() > until)
      throw new Error(`The log never showed ${what}; it shows:\n${lines.slice(-20).join('\n')}`)
    await page.waitForTimeout(100)
  }
}

test('logs in xterm: a build log searched, filtered and copied; a runtime log paused and resumed', async (t) => {
  const bed = await coreTestbed(t)
  if (!bed) return
  const { api } = bed.core
  const folder = await bed.folder({
    Dockerfile: [
      `FROM ${bed.server.images.busybox}`,
      'COPY www /www',
      'COPY build.sh run.sh /',
      'RUN sh /build.sh',
      'CMD ["sh", "/run.sh"]',
      '',
    ].join('\n'),
    'www/index.html': 'logs\n',
    'build.sh': BUILD_SCRIPT,
    'run.sh': RUN_SCRIPT,
  })
  await api['apps:create']({
    name: APP,
    server: bed.serverName,
    source: { kind: 'folder', path: folder },
    port: 8080,
    domains: [`http://${APP}.test`],
    healthPath: '/index.html',
  })
  let deployment: Extract<DeployProgress, { type: 'done' }>['deployment'] | undefined
  for await (const event of api['apps:deploy']({ name: APP }, new AbortController().signal)) {
    if (event.type === 'done') deployment = event.deployment
  }
  assert.equal(deployment?.status, 'succeeded', JSON.stringify(deployment?.error))

  const dashboard = await openDashboard(t, { core: bed.core })
  if (!dashboard) return
  const { page, web } = dashboard
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: web.url })
  await page.goto(`${web.url}#/apps/${APP}/deployments/${deployment.id}`)

  // The build's output, in order, and the deploy's steps as status lines.
  const log = page.getByRole('region', { name: `Log of deployment ${deployment.id}` })
  const end = `Deployment ${deployment.id} succeeded.`
  const all = await waitForLines(page, (lines) => lines.at(-1)?.includes(end) === true, 'the whole log')
  const at = (text: string) => all.findIndex((line) => line.includes(text))
  assert.ok(at('marker-error') < at('marker-warn') && at('marker-warn') < at('filler line 399'))
  assert.ok(
    all.some((line) => /^✓ \S+ +\S/.test(line)),
    'a finished step as a status line',
  )
  // A finished deployment's log opens at its start, with a way to its end.
  await log.getByRole('button', { name: 'Jump to live' }).waitFor()

  // Search: Ctrl+F in the log opens it; every match is counted; Enter goes on to the next.
  await page.locator('.log-terminal').click()
  await page.keyboard.press('Control+f')
  const searchField = log.getByRole('textbox', { name: 'Search the log' })
  await searchField.waitFor()
  assert.ok(await searchField.evaluate((el) => el === document.activeElement), 'the search field has focus')
  await searchField.fill('marker-warn')
  await log.getByText('1 of 1', { exact: true }).waitFor()
  await searchField.fill('filler line 1')
  await log.getByText(/^\d+ of 111$/).waitFor() // 1, 10–19, 100–199
  const first = await log.locator('.log-matches').textContent()
  await searchField.press('Enter')
  await log
    .getByText(/^\d+ of 111$/)
    .filter({ hasNotText: first ?? '' })
    .waitFor()
  await searchField.fill('no such text anywhere')
  await log.getByText('No matches', { exact: true }).waitFor()
  await searchField.press('Escape')
  await searchField.waitFor({ state: 'detached' })

  // Filters: by level (read from the line's words), by text; each shows only what passes.
  const level = log.getByRole('combobox', { name: 'Level' })
  await level.selectOption({ label: 'Errors' })
  // Waits for the error line too: a view still being redrawn shows no filler either.
  let shown = await waitForLines(
    page,
    (lines) => lines.some((l) => l.includes('marker-error')) && !lines.some((l) => l.includes('filler')),
    'only errors',
  )
  assert.ok(!shown.some((l) => l.includes('marker-warn')), shown.join('\n'))
  await level.selectOption({ label: 'Warnings and errors' })
  shown = await waitForLines(page, (lines) => lines.some((l) => l.includes('marker-warn')), 'warnings too')
  assert.ok(shown.some((l) => l.includes('marker-error')) && !shown.some((l) => l.includes('filler')))
  await level.selectOption({ label: 'All levels' })
  await log.getByRole('searchbox', { name: 'Filter lines' }).fill('filler line 39')
  shown = await waitForLines(page, (lines) => lines.length === 11, 'the 11 lines with "filler line 39"')
  assert.deepEqual(shown, [
    'filler line 39',
    ...Array.from({ length: 10 }, (_, i) => `filler line ${390 + i}`),
  ])

  // Copy, with nothing selected, copies every line shown.
  await log.getByRole('button', { name: 'Copy' }).click()
  await log.getByRole('status').filter({ hasText: 'Copied 11 lines.' }).waitFor()
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), shown.join('\n'))
  await log.getByRole('searchbox', { name: 'Filter lines' }).fill('')
  await waitForLines(page, (lines) => lines.length >= all.length, 'every line again')

  // The runtime log follows the container; scrolled up, it pauses and counts what arrives.
  await page.goto(`${web.url}#/apps/${APP}/logs`)
  const runtime = page.getByRole('region', { name: `Runtime log of ${APP}` })
  await waitForLines(page, (lines) => lines.filter((l) => /^tick \d+$/.test(l)).length > 60, 'many ticks')
  await runtime.getByText('Live', { exact: true }).waitFor()
  const box = await page.locator('.log-terminal').boundingBox()
  assert.ok(box)
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  await page.mouse.wheel(0, -600)
  await runtime.getByText('Paused', { exact: true }).waitFor()
  const held = runtime.getByText(/^Paused — \d+ new lines?$/)
  const before = (await shownLines(page)).length
  await held.filter({ hasText: /— ([5-9]|\d\d+) new/ }).waitFor()
  assert.equal((await shownLines(page)).length, before, 'held lines are not written while paused')
  await runtime.getByRole('button', { name: 'Jump to live' }).click()
  await runtime.getByText('Live', { exact: true }).waitFor()
  await waitForLines(page, (lines) => lines.length > before + 5, 'the held lines after jumping to live')
})

/**
 * The Terminals page in Chromium, through the headless web mode, against the real test server: a
 * shell opened from the server page runs what is typed into its xterm; a second tab (a local shell,
 * off in the web mode) says why; the tabs switch from the keyboard and close.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { testServer } from '../support/test-server'
import type { Locator } from 'playwright-core'
import { openDashboard } from './dashboard'

/** Waits until a row of the xterm in `panel` reads `line` (xterm draws each row as one element). */
const shows = (panel: Locator, line: string | RegExp): Promise<unknown> =>
  panel.locator('.xterm-rows > div').filter({ hasText: line }).first().waitFor()

test('a server terminal tab runs a command; tabs switch from the keyboard and close', async (t) => {
  const server = testServer(t)
  if (!server) return
  const dashboard = await openDashboard(t, {
    servers: [
      {
        name: 'test-server',
        host: server.host,
        port: server.port,
        user: server.user,
        auth: 'key-file',
        keyPath: server.keyPath,
        hostKeyFingerprint: server.hostKeyFingerprint,
      },
    ],
    // As `helvetia ui` starts by default: no shell on this computer.
    thisComputer: false,
  })
  if (!dashboard) return
  const { page } = dashboard
  page.setDefaultTimeout(30_000)

  await page.goto(`${dashboard.web.url}#/servers/test-server`)
  await page.getByRole('button', { name: 'Open terminal' }).click()
  await page.getByRole('heading', { level: 1, name: 'Terminals' }).waitFor()
  const tabs = page.getByRole('tablist', { name: 'Terminals' })
  const serverTab = tabs.getByRole('tab', { name: /test-server/ })
  assert.equal(await serverTab.getAttribute('aria-selected'), 'true')

  // The shell has the focus: type into it and read the screen xterm draws.
  const screen = page.getByRole('tabpanel', { name: /test-server/ })
  await page.getByRole('textbox', { name: 'Terminal: test-server' }).waitFor()
  await page.waitForFunction(() => document.activeElement?.classList.contains('xterm-helper-textarea'))
  // At the prompt, so the output gets a row of its own (typed earlier, the echo comes before the prompt).
  await shows(screen, /[$#]\s*$/)
  await page.keyboard.type('echo helvetia-$((6*7))')
  await page.keyboard.press('Enter')
  await shows(screen, /^helvetia-42\s*$/)

  // A second tab from the menu: a local shell, which the web mode refuses, saying how to allow it.
  await page.getByRole('button', { name: 'New terminal' }).click()
  await page.getByRole('menuitem', { name: 'Local shell' }).click()
  const localTab = tabs.getByRole('tab', { name: /This computer/ })
  assert.equal(await localTab.getAttribute('aria-selected'), 'true')
  await localTab.getByText('failed').waitFor()
  await shows(page.getByRole('tabpanel', { name: /This computer/ }), /HELVETIA_WEB_LOCAL=1/)

  // Arrow keys in the tab list; Delete closes the selected tab.
  await localTab.focus()
  await page.keyboard.press('ArrowLeft')
  assert.equal(await serverTab.getAttribute('aria-selected'), 'true')
  // Focus stays in the tab list (after the frame in which the page would have moved it).
  const focused = (el: Element) =>
    new Promise((resolve) =>
      requestAnimationFrame(() => requestAnimationFrame(() => resolve(el === document.activeElement))),
    )
  assert.ok(await serverTab.evaluate(focused), 'the selected tab has the focus')
  await page.keyboard.press('ArrowRight')
  await page.keyboard.press('Delete')
  assert.equal(await tabs.getByRole('tab').count(), 1)

  // The shell exits: its tab says so.
  await page.getByRole('button', { name: 'Close test-server' }).waitFor()
  await serverTab.click()
  await screen.locator('.xterm-screen').click()
  await page.keyboard.type('exit 7')
  await page.keyboard.press('Enter')
  await serverTab.getByText('exited 7').waitFor()
  await page.getByRole('button', { name: 'Close test-server' }).click()
  await page.getByText('No terminal is open.').waitFor()
})

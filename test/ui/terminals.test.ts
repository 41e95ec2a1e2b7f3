/**
 * The Terminals page in Chromium, through the headless web mode, against the real test server: a
 * shell opened from the server page runs what is typed into its xterm; a second tab (a local shell,
 * off in the web mode) says why; the tabs switch from the keyboard and close.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { testServer } from '../support/test-server'
import { openDashboard } from './dashboard'

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
  })
  if (!dashboard) return
  const { page } = dashboard

  await page.goto(`${dashboard.web.url}#/servers/test-server`)
  await page.getByRole('button', { name: 'Open terminal' }).click()
  await page.getByRole('heading', { level: 1, name: 'Terminals' }).waitFor()
  const tabs = page.getByRole('tablist', { name: 'Terminals' })
  const serverTab = tabs.getByRole('tab', { name: /test-server/ })
  assert.equal(await serverTab.getAttribute('aria-selected'), 'true')

  // The shell has the focus: type into it and read the screen xterm draws.
  const screen = page.getByRole('tabpanel', { name: /test-server/ }).locator('.xterm-rows')
  await page.getByRole('textbox', { name: 'Terminal: test-server' }).waitFor()
  await page.waitForFunction(() => document.activeElement?.classList.contains('xterm-helper-textarea'))
  await page.keyboard.type('echo helvetia-$((6*7))')
  await page.keyboard.press('Enter')
  await screen.getByText(/^helvetia-42\s*$/).waitFor()

  // A second tab from the menu: a local shell, which the web mode refuses, saying how to allow it.
  await page.getByRole('button', { name: 'New terminal' }).click()
  await page.getByRole('menuitem', { name: 'Local shell' }).click()
  const localTab = tabs.getByRole('tab', { name: /This computer/ })
  assert.equal(await localTab.getAttribute('aria-selected'), 'true')
  await localTab.getByText('failed').waitFor()
  await page
    .getByRole('tabpanel', { name: /This computer/ })
    .locator('.xterm-rows')
    .getByText(/HELVETIA_WEB_LOCAL_TERMINAL=1/)
    .waitFor()

  // Arrow keys in the tab list; Delete closes the selected tab.
  await localTab.focus()
  await page.keyboard.press('ArrowLeft')
  assert.equal(await serverTab.getAttribute('aria-selected'), 'true')
  assert.ok(await serverTab.evaluate((el) => el === document.activeElement))
  await page.keyboard.press('ArrowRight')
  await page.keyboard.press('Delete')
  assert.equal(await tabs.getByRole('tab').count(), 1)

  // The shell exits: its tab says so.
  await page.getByRole('button', { name: 'Close test-server' }).waitFor()
  await serverTab.click()
  await page.keyboard.type('exit 7')
  await page.keyboard.press('Enter')
  await serverTab.getByText('exited 7').waitFor()
  await page.getByRole('button', { name: 'Close test-server' }).click()
  await page.getByText('No terminal is open.').waitFor()
})

import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import WebSocket from 'ws'
import { createCore } from '../../src-main/core/create-core'
import { openDatabase } from '../../src-main/core/store/database'
import { createServerStore } from '../../src-main/core/store/server-store'
import { createKeytarVault } from '../../src-main/core/vault/vault'
import { startWebServer } from '../../src-main/web/web-server'
import { ensureRendererBuilt, launchBrowser, RENDERER_ROOT } from '../support/browser'
import { serverRecord } from './dashboard'
import { APP_ROOT, tempHome } from '../support/temp-home'

/** The real core behind the headless web mode, with one server already in its store. */
async function startWebMode(t: TestContext) {
  ensureRendererBuilt()
  const home = tempHome(t)
  const db = openDatabase(home)
  createServerStore(db).insert(serverRecord({ name: 'edge-1' }))
  db.close()
  const core = createCore({ home, appRoot: APP_ROOT, vault: createKeytarVault(), face: 'web' })
  const web = await startWebServer({ api: core.api, root: RENDERER_ROOT })
  t.after(async () => {
    await web.close()
    core.close()
  })
  return { core, web }
}

test('the renderer runs in Chromium and lists the servers from the core, live', async (t) => {
  const browser = await launchBrowser(t)
  if (!browser) return
  const { core, web } = await startWebMode(t)
  const page = await browser.newPage()
  await page.goto(web.openUrl)
  const list = page.getByRole('list', { name: 'Servers' })
  await list.getByText('edge-1').waitFor()
  assert.equal(new URL(page.url()).hash, '', 'the token is dropped from the address bar')
  // A change in the core reaches the open page without a reload (the servers:watch stream).
  await core.servers.remove('edge-1')
  await page.getByTestId('no-servers').waitFor()
  // A reload of the same tab keeps working: the token stays in the tab's session storage.
  await page.reload()
  await page.getByTestId('no-servers').waitFor()
})

test('a page opened without the token says how to get in', async (t) => {
  const browser = await launchBrowser(t)
  if (!browser) return
  const { web } = await startWebMode(t)
  const page = await browser.newPage()
  await page.goto(web.url)
  await page.getByRole('alert').getByText('helvetia ui').waitFor()
})

test('the API refuses a WebSocket without the token or from another origin', async (t) => {
  const { web } = await startWebMode(t)
  const endpoint = `${web.url.replace('http', 'ws')}api`
  const origin = web.url.replace(/\/$/, '')
  const attempt = (protocols: string[], headers: Record<string, string>) =>
    new Promise<string>((resolve) => {
      const ws = new WebSocket(endpoint, protocols, { headers })
      ws.on('open', () => (ws.close(), resolve('open')))
      ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)))
      ws.on('error', () => resolve('error'))
    })
  assert.equal(await attempt([`helvetia-token.${web.token}`], { Origin: origin }), 'open')
  assert.equal(await attempt(['helvetia-token.wrong'], { Origin: origin }), '403')
  assert.equal(await attempt([], { Origin: origin }), '403')
  assert.equal(await attempt([`helvetia-token.${web.token}`], { Origin: 'http://evil.example' }), '403')
})

test('pages are served with a strict Content-Security-Policy', async (t) => {
  const { web } = await startWebMode(t)
  const response = await fetch(web.url)
  const csp = response.headers.get('content-security-policy') ?? ''
  assert.match(csp, /script-src 'self'(;|$)/)
  assert.match(csp, /frame-ancestors 'none'/)
  assert.doesNotMatch(csp, /unsafe-eval/)
  // An encoded path that climbs out of the renderer folder reaches nothing.
  const traversal = await fetch(`${web.url}..%2f..%2f..%2f..%2fetc%2fpasswd`)
  assert.equal(traversal.status, 404)
  assert.doesNotMatch(await traversal.text(), /root:/)
})

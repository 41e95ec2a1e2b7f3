import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { join } from 'node:path'
import type { TLSSocket } from 'node:tls'
import { randomUUID, X509Certificate } from 'node:crypto'
import { test, type TestContext } from 'node:test'
import { fileURLToPath } from 'node:url'
import WebSocket from 'ws'
import type { TerminalTarget } from '../../src-main/api/terminals'
import { ApiError } from '../../src-main/api/wire'
import { createAppStore } from '../../src-main/core/store/app-store'
import { createCore } from '../../src-main/core/create-core'
import { openDatabase } from '../../src-main/core/store/database'
import { createServerStore } from '../../src-main/core/store/server-store'
import { createKeytarVault } from '../../src-main/core/vault/vault'
import { startWebServer, type WebServerOptions } from '../../src-main/web/web-server'
import { ensureRendererBuilt, launchBrowser, RENDERER_ROOT } from '../support/browser'
import { helvetia } from '../support/cli'
import { failsWith } from '../support/user-error'
import { apiOverWebSocket } from '../support/web-api'
import { serverRecord } from './dashboard'
import { APP_ROOT, tempHome } from '../support/temp-home'

/**
 * The real core behind the headless web mode, with one server already in its store; with `thisComputer`,
 * also "this computer" as a server (added in the desktop app) and an app of a local folder.
 */
async function startWebMode(
  t: TestContext,
  options: Partial<WebServerOptions> & { thisComputer?: boolean; env?: NodeJS.ProcessEnv } = {},
) {
  ensureRendererBuilt()
  const { thisComputer, env = {}, ...serverOptions } = options
  const home = tempHome(t)
  const db = openDatabase(home)
  const edge = serverRecord({ name: 'edge-1' })
  createServerStore(db).insert(edge)
  if (thisComputer) {
    createServerStore(db).insert(serverRecord({ name: 'here', host: 'localhost', auth: 'local' }))
    createAppStore(db).insert({
      id: randomUUID(),
      name: 'site',
      serverId: edge.id,
      spec: {},
      source: { kind: 'folder', path: home },
      envPending: false,
      settingsPending: false,
      createdAt: new Date().toISOString(),
    })
  }
  db.close()
  const core = createCore({ home, appRoot: APP_ROOT, vault: createKeytarVault(), face: 'web', env })
  const web = await startWebServer({ api: core.api, root: RENDERER_ROOT, ...serverOptions })
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
  assert.equal(await page.getByText('helvetia ui --insecure').count(), 0, 'served as meant: no warning')
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

/** A GET of `/` or a WebSocket to `/api` on the server's own address, with the Host header given. */
function withHost(web: { url: string; token: string }, host: string) {
  const { hostname, port } = new URL(web.url)
  const get = () =>
    new Promise<number>((resolve, reject) => {
      const req = httpRequest({ hostname, port, path: '/', headers: { Host: host } }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', reject).end()
    })
  const upgrade = () =>
    new Promise<string>((resolve) => {
      const ws = new WebSocket(`ws://${hostname}:${port}/api`, [`helvetia-token.${web.token}`], {
        headers: { Host: host, Origin: `http://${host}` },
      })
      ws.on('open', () => (ws.close(), resolve('open')))
      ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)))
      ws.on('error', () => resolve('error'))
    })
  return { get, upgrade }
}

test('a request that names another host is refused: DNS rebinding reaches neither page nor API', async (t) => {
  const { web } = await startWebMode(t)
  const port = new URL(web.url).port
  // A page on evil.example whose name now resolves to 127.0.0.1: same address, its own Host and Origin.
  for (const host of [
    `evil.example:${port}`,
    `127.0.0.1.evil.example:${port}`,
    `127.0.0.1:${Number(port) + 1}`,
  ]) {
    const rebound = withHost(web, host)
    assert.equal(await rebound.get(), 421, host)
    assert.equal(await rebound.upgrade(), '421', host)
  }
  for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
    const own = withHost(web, host)
    assert.equal(await own.get(), 200, host)
    assert.equal(await own.upgrade(), 'open', host)
  }
})

test('a non-loopback address is refused without TLS, before anything listens', async (t) => {
  const home = tempHome(t)
  // TEST-NET addresses: not this machine's, so a bind that got as far as listening would fail otherwise.
  for (const host of ['192.0.2.1', '2001:db8::1']) {
    await assert.rejects(
      startWebServer({ api: {} as never, root: RENDERER_ROOT, host }),
      failsWith('WEB_NEEDS_TLS', (error) =>
        assert.match(error.hint ?? '', /--tls-cert FILE --tls-key FILE.*--insecure/),
      ),
    )
  }
  const refused = await helvetia(home, ['ui', '--host', '192.0.2.1', '--port', '1'])
  assert.notEqual(refused.code, 0)
  assert.match(refused.stderr, /WEB_NEEDS_TLS|--insecure/)
})

/** A self-signed certificate for 127.0.0.1, made by openssl for this test. */
function selfSigned(t: TestContext): { certFile: string; keyFile: string; cert: Buffer; key: Buffer } {
  const dir = tempHome(t)
  const certFile = join(dir, 'cert.pem')
  const keyFile = join(dir, 'key.pem')
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=helvetia-test',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  )
  return { certFile, keyFile, cert: readFileSync(certFile), key: readFileSync(keyFile) }
}

/** GET `url` trusting only `ca`; the status and the certificate the server presented. */
function getOverTls(url: string, ca: Buffer) {
  return new Promise<{ status: number; fingerprint: string }>((resolve, reject) => {
    const req = httpsRequest(url, { ca }, (res) => {
      res.resume()
      const peer = (res.socket as TLSSocket).getPeerCertificate()
      resolve({ status: res.statusCode ?? 0, fingerprint: peer.fingerprint256 })
    })
    req.on('error', reject).end()
  })
}

test('with a certificate and key, the dashboard and its API are served over TLS', async (t) => {
  const tls = selfSigned(t)
  const expected = new X509Certificate(tls.cert).fingerprint256
  const { web } = await startWebMode(t, { tls: { cert: tls.cert, key: tls.key } })
  assert.match(web.url, /^https:\/\/127\.0\.0\.1:\d+\/$/)
  assert.deepEqual(await getOverTls(web.url, tls.cert), { status: 200, fingerprint: expected })
  const opened = await new Promise<string>((resolve) => {
    const ws = new WebSocket(`${web.url.replace('https', 'wss')}api`, [`helvetia-token.${web.token}`], {
      ca: tls.cert,
      headers: { Origin: web.url.replace(/\/$/, '') },
    })
    ws.on('open', () => (ws.close(), resolve('open')))
    ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)))
    ws.on('error', (error) => resolve(error.message))
  })
  assert.equal(opened, 'open')

  // The same through `helvetia ui --tls-cert FILE --tls-key FILE`.
  const cli = spawn(
    process.execPath,
    [
      fileURLToPath(new URL('../../src-main/cli/bin.mjs', import.meta.url)),
      'ui',
      '--json',
      '--tls-cert',
      tls.certFile,
      '--tls-key',
      tls.keyFile,
    ],
    { env: { ...process.env, HELVETIA_HOME: tempHome(t) }, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  t.after(() => cli.kill())
  const printed = await new Promise<string>((resolve, reject) => {
    let out = ''
    cli.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (out.includes('\n')) resolve(out)
    })
    cli.once('exit', (code) => reject(new Error(`helvetia ui exited with ${code}`)))
  })
  const { url } = JSON.parse(printed) as { url: string }
  assert.match(url, /^https:\/\/127\.0\.0\.1:\d+\/#token=/)
  assert.deepEqual(await getOverTls(url, tls.cert), { status: 200, fingerprint: expected })
})

test('a dashboard started with --insecure says so on the page', async (t) => {
  const browser = await launchBrowser(t)
  if (!browser) return
  const { web } = await startWebMode(t, { insecure: true })
  const page = await browser.newPage()
  await page.goto(web.openUrl)
  await page.getByRole('list', { name: 'Servers' }).getByText('edge-1').waitFor()
  await page.getByRole('status').filter({ hasText: 'helvetia ui --insecure' }).waitFor()
})

/** The API as a token holder reaches it: the real WebSocket, with the token and the page's origin. */
const refusedWith = (code: string) => (error: unknown) => {
  assert.ok(error instanceof ApiError, String(error))
  assert.equal(error.code, code, error.message)
  assert.match(error.hint ?? '', /HELVETIA_WEB_LOCAL=1/)
  return true
}

test('the web dashboard reaches this computer in no way unless opted in; the desktop app does', async (t) => {
  const folder = tempHome(t)
  const { web } = await startWebMode(t, { thisComputer: true })
  const api = await apiOverWebSocket(t, web)
  const deploy = (input: { name: string; path?: string }) =>
    api.subscribe('apps:deploy', input, () => {}).done
  const terminal = (target: TerminalTarget) =>
    api.subscribe('terminals:open', { ...target, rows: 24, cols: 80 }, () => {}).done

  // Adding "this computer", or any folder of it as an app's source.
  await assert.rejects(
    api.call('servers:add', { name: 'mine', host: 'localhost', auth: 'local' }),
    refusedWith('LOCAL_SERVER_OFF'),
  )
  await assert.rejects(
    api.call('apps:create', { name: 'stolen', server: 'edge-1', source: { kind: 'folder', path: folder } }),
    refusedWith('LOCAL_FOLDER_OFF'),
  )
  assert.deepEqual((await api.call('servers:list')).map((s) => s.name).sort(), ['edge-1', 'here'])
  assert.deepEqual(
    (await api.call('apps:list')).map((a) => a.name),
    ['site'],
  )
  // Deploying a folder: the app's own, or another one given as its path.
  await assert.rejects(deploy({ name: 'site' }), refusedWith('LOCAL_FOLDER_OFF'))
  await assert.rejects(deploy({ name: 'site', path: '/etc' }), refusedWith('LOCAL_FOLDER_OFF'))
  // A shell here, or anything on "this computer" added in the desktop app (check, terminal).
  await assert.rejects(terminal({ kind: 'local' }), refusedWith('LOCAL_TERMINAL_OFF'))
  await assert.rejects(terminal({ kind: 'server', server: 'here' }), refusedWith('LOCAL_SERVER_OFF'))
  await assert.rejects(api.call('servers:check', { name: 'here' }), refusedWith('LOCAL_SERVER_OFF'))

  // The desktop app is the user at their computer: it keeps every one of these.
  const desktop = createCore({
    home: tempHome(t),
    appRoot: APP_ROOT,
    vault: createKeytarVault(),
    face: 'desktop',
  })
  t.after(() => desktop.close())
  await desktop.api['servers:add']({ name: 'here', host: 'localhost', auth: 'local' })
  await desktop.api['apps:create']({ name: 'site', server: 'here', source: { kind: 'folder', path: folder } })
  const target = desktop.servers.targetFor(desktop.servers.get('here'))
  assert.equal((await target.exec('echo here')).stdout, 'here\n')

  // The one switch, by its name and by its first one, opens them in the web mode.
  for (const name of ['HELVETIA_WEB_LOCAL', 'HELVETIA_WEB_LOCAL_TERMINAL']) {
    const opted = await startWebMode(t, { env: { [name]: '1' } })
    const optedApi = await apiOverWebSocket(t, opted.web)
    await optedApi.call('servers:add', { name: 'mine', host: 'localhost', auth: 'local' })
    await optedApi.call('apps:create', {
      name: 'site',
      server: 'mine',
      source: { kind: 'folder', path: folder },
    })
  }
})

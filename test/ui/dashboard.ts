/**
 * What the UI tests share: the real core behind the headless web mode, in a fresh data folder, and
 * a Chromium page on it.
 */
import { randomUUID } from 'node:crypto'
import type { TestContext } from 'node:test'
import type { Page } from 'playwright-core'
import type { ApiHandlers } from '../../src-main/api/contract'
import { createCore, type Core } from '../../src-main/core/create-core'
import { openDatabase } from '../../src-main/core/store/database'
import { createServerStore, type ServerRecord } from '../../src-main/core/store/server-store'
import { createKeytarVault } from '../../src-main/core/vault/vault'
import { startWebServer, type WebServer } from '../../src-main/web/web-server'
import { ensureRendererBuilt, launchBrowser, RENDERER_ROOT } from '../support/browser'
import { APP_ROOT, tempHome } from '../support/temp-home'

export interface DashboardOptions {
  /** Servers already in the store when the core starts. */
  servers?: Partial<ServerRecord>[]
  viewport?: { width: number; height: number }
  colorScheme?: 'dark' | 'light'
  /** A core that exists already (coreTestbed's, with the test server in it); it is not closed here. */
  core?: Core
  /**
   * The web mode's switch for this computer (HELVETIA_WEB_LOCAL) in a core made here: on unless false,
   * since the page stands in for the desktop app, which always reaches this computer.
   */
  thisComputer?: boolean
  /** What the web mode serves in place of the core's handlers, made from them (to alter their errors, say). */
  wrapApi?: (api: ApiHandlers) => ApiHandlers
}

export interface Dashboard {
  core: Core
  web: WebServer
  page: Page
}

/** A server record as the store holds it, with plausible values for what `fields` leaves out. */
export function serverRecord(fields: Partial<ServerRecord>): ServerRecord {
  return {
    id: randomUUID(),
    name: 'edge-1',
    host: '127.0.0.1',
    port: 2222,
    user: 'deploy',
    auth: 'agent',
    keyPath: null,
    hostKeyFingerprint: null,
    createdAt: new Date().toISOString(),
    proxy: null,
    ...fields,
  }
}

/** The real core and web mode, and a page that opened the dashboard; undefined when skipped. */
export async function openDashboard(
  t: TestContext,
  options: DashboardOptions = {},
): Promise<Dashboard | undefined> {
  const browser = await launchBrowser(t)
  if (!browser) return undefined
  ensureRendererBuilt()
  const core = options.core ?? newCore(t, options.servers ?? [], options.thisComputer ?? true)
  const api = options.wrapApi ? options.wrapApi(core.api) : core.api
  const web = await startWebServer({ api, root: RENDERER_ROOT })
  t.after(async () => {
    await web.close()
    if (!options.core) core.close()
  })
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'dark',
  })
  t.after(() => context.close())
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  t.after(() => {
    if (errors.length > 0) throw new Error(`The page threw: ${errors.join('; ')}`)
  })
  await page.goto(web.openUrl)
  await page.getByRole('group', { name: 'Theme' }).waitFor()
  return { core, web, page }
}

/**
 * What a dashboard's own core names on the test server (`~/.PREFIX`, the proxy, the network): this
 * test file's, so that UI tests running side by side (test/run.sh) never provision one proxy at once.
 */
export const UI_PREFIX = `ui${process.pid}`

/** A core of its own in a fresh data folder, with `servers` in its store. */
function newCore(t: TestContext, servers: Partial<ServerRecord>[], thisComputer: boolean): Core {
  const home = tempHome(t)
  const db = openDatabase(home)
  const store = createServerStore(db)
  for (const fields of servers) store.insert(serverRecord(fields))
  db.close()
  const env = thisComputer ? { HELVETIA_WEB_LOCAL: '1' } : {}
  return createCore({
    home,
    appRoot: APP_ROOT,
    vault: createKeytarVault(),
    face: 'web',
    env,
    prefix: UI_PREFIX,
  })
}

/** The page scrolls sideways when its content is wider than the viewport. */
export const horizontalOverflow = (page: Page): Promise<number> =>
  page.evaluate(() => (document.scrollingElement?.scrollWidth ?? 0) - window.innerWidth)

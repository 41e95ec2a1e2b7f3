import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ApiHandlers, AppInfo } from '../api/contract'
import { Changes } from './changes'
import { createServers } from './servers/servers'
import { openDatabase } from './store/database'
import { createServerStore } from './store/server-store'
import type { Vault } from './vault/vault'

export interface CoreOptions {
  /** The data folder (see resolveHome). */
  home: string
  /** The installed app: the folder that holds package.json and remote-scripts/. */
  appRoot: string
  vault: Vault
  face: AppInfo['face']
}

/**
 * The composition root: builds every service from its dependencies. The desktop app, the CLI, the
 * headless web mode and the tests all call this, and nothing in the core reaches for a global.
 */
export function createCore(options: CoreOptions) {
  const { home, appRoot, vault, face } = options
  const db = openDatabase(home)
  const changes = new Changes()
  const servers = createServers({ store: createServerStore(db), vault, changes })

  const info: AppInfo = { version: packageVersion(appRoot), home, platform: process.platform, face }

  const api: ApiHandlers = {
    'app:info': async () => info,
    'servers:list': async () => servers.list(),
    'servers:remove': async (input) => servers.remove(requireString(input, 'name')),
    'servers:watch': (_input, signal) => changes.watch('servers', servers.list, signal),
  }

  return {
    home,
    vault,
    changes,
    servers,
    api,
    close: () => db.close(),
  }
}

export type Core = ReturnType<typeof createCore>

/** API input arrives from outside the process: check its shape before the core sees it. */
function requireString(input: unknown, key: string): string {
  const value = (input as Record<string, unknown> | null)?.[key]
  if (typeof value !== 'string' || value === '') throw new TypeError(`Expected a non-empty string "${key}"`)
  return value
}

function packageVersion(appRoot: string): string {
  const pkg = JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as { version: string }
  return pkg.version
}

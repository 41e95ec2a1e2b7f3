import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ApiHandlers, AppInfo, ProvisionEvent } from '../api/contract'
import { createAppStore } from './apps/app-store'
import { createApps } from './apps/apps'
import { Changes } from './changes'
import { createDeployer } from './deploy/deployer'
import { eventStream } from './event-stream'
import { createProvisioner } from './provision/provision'
import { ScriptRunner } from './scripts/script-runner'
import { createServers } from './servers/servers'
import { readSshConfig } from './ssh/ssh-config'
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
  /** OpenSSH's known_hosts, consulted for servers with no pinned key (default ~/.ssh/known_hosts). */
  knownHostsPath?: string
}

/**
 * The composition root: builds every service from its dependencies. The desktop app, the CLI, the
 * headless web mode and the tests all call this, and nothing in the core reaches for a global.
 */
export function createCore(options: CoreOptions) {
  const { home, appRoot, vault, face, knownHostsPath } = options
  const db = openDatabase(home)
  const changes = new Changes()
  const scripts = new ScriptRunner({ scriptsDir: join(appRoot, 'remote-scripts') })
  const provisioner = createProvisioner({ scripts })
  const servers = createServers({ store: createServerStore(db), vault, changes, provisioner, knownHostsPath })
  const apps = createApps({
    store: createAppStore(db),
    servers,
    vault,
    deployer: createDeployer({ scripts }),
  })

  const info: AppInfo = { version: packageVersion(appRoot), home, platform: process.platform, face }

  const api: ApiHandlers = {
    'app:info': async () => info,
    'servers:list': async () => servers.list(),
    'servers:remove': async (input) => servers.remove(requireString(input, 'name')),
    'servers:watch': (_input, signal) => changes.watch('servers', servers.list, signal),
    'servers:probe-host-key': async (input) =>
      servers.probeHostKey(requireString(input, 'host'), input?.port),
    'servers:add': (input) => servers.add(input),
    'servers:check': (input) => servers.check(requireString(input, 'name')),
    'servers:provision': (input, signal) =>
      eventStream<ProvisionEvent>(
        (emit, abort) => servers.provision({ ...input, name: requireString(input, 'name') }, emit, abort),
        signal,
      ),
    'servers:import-ssh-config': () => readSshConfig(),
  }

  return {
    home,
    vault,
    changes,
    servers,
    apps,
    api,
    close: () => {
      servers.closeConnections()
      db.close()
    },
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

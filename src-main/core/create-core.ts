import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ApiHandlers, AppInfo } from '../api/contract'
import { appsApi } from './apps/apps-api'
import { createAppStore } from './store/app-store'
import { createApps } from './apps/apps'
import { createCertificates } from './certs/certificates'
import { Changes } from './changes'
import { createData } from './create-data'
import { createShip } from './create-ship'
import { createMetrics } from './metrics/metrics'
import { metricsApi } from './metrics/metrics-api'
import { createDeployer } from './deploy/deployer'
import { withCommitStatuses } from './github/deploy-statuses'
import { createGitHub } from './github/github'
import { githubApi } from './github/github-api-handlers'
import { createGitHubApps } from './github/github-apps'
import { createProvisioner } from './provision/provision'
import { createPush } from './push/push'
import { createRelayTokens } from './store/relay-tokens'
import { pushApi } from './push/push-api'
import { createPushBackground } from './push/push-background'
import { createRelayHosts } from './relay-host/relay-hosts'
import { ScriptRunner } from './remote/script-runner'
import { createServers } from './servers/servers'
import { serversApi } from './servers/servers-api'
import { openDatabase } from './store/database'
import { createServerStore } from './store/server-store'
import { createTerminals } from './terminals/terminals'
import { terminalsApi } from './terminals/terminals-api'
import { localGate } from './this-computer'
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
  /** Names what Helvetia creates on servers (`~/.<prefix>`, containers, network); default `helvetia`. Tests use their own. */
  prefix?: string
  /**
   * Read what runs on a server (its proxy) again on each SSH (re)connection; default true. For faces
   * that stay open: a single CLI command reads what it needs itself.
   */
  refreshOnConnect?: boolean
  /** Where the web mode's switch for this computer is read (HELVETIA_WEB_LOCAL); default this process's environment. */
  env?: NodeJS.ProcessEnv
  /** The uploader's image for backups on servers (rclone's, or a mirror of it); default DEFAULT_UPLOADER_IMAGE. */
  uploaderImage?: string
}

/**
 * The composition root: builds every service from its dependencies. The desktop app, the CLI, the
 * headless web mode and the tests all call this, and nothing in the core reaches for a global.
 */
export function createCore(options: CoreOptions) {
  const { home, appRoot, vault, face, knownHostsPath, prefix, refreshOnConnect = true } = options
  const db = openDatabase(home)
  // One switch for every way this face reaches this computer.
  const local = localGate(face, options.env)
  const changes = new Changes()
  const scripts = new ScriptRunner({ scriptsDir: join(appRoot, 'remote-scripts'), prefix })
  const provisioner = createProvisioner({ scripts, prefix })
  const appStore = createAppStore(db)
  const relayTokens = createRelayTokens(db)
  const servers = createServers({
    store: createServerStore(db),
    apps: appStore,
    vault,
    relayTokens,
    changes,
    provisioner,
    knownHostsPath,
    refreshOnConnect,
    local,
  })
  const github = createGitHub({ vault })
  // Every deploy (desktop, CLI, push watcher) sets its commit status on GitHub, when it can.
  const apps = withCommitStatuses(
    createApps({
      store: appStore,
      servers,
      vault,
      deployer: createDeployer({ scripts, prefix }),
      changes,
      local,
      relayTokens,
      home,
    }),
    github,
  )
  const relayHosts = createRelayHosts({
    db,
    vault,
    servers,
    scripts,
    relayDir: join(appRoot, 'relay'),
    prefix,
  })
  const push = createPush({ db, vault, apps, relayHosts })
  const githubApps = createGitHubApps({ apps, github, push, servers, relayHosts })
  const background = createPushBackground({ push, changes })
  const metrics = createMetrics({ db, servers, apps, scripts, prefix })
  const certificates = createCertificates({ apps, servers, scripts, prefix })
  const { databases, backupTargets, backups, connectionOf, ...data } = createData({
    db,
    servers,
    apps,
    appStore,
    vault,
    scripts,
    changes,
    prefix,
    uploaderImage: options.uploaderImage,
  })
  const terminals = createTerminals({ servers, apps, databases: { connectionOf }, scripts, prefix, local })

  const info: AppInfo = { version: packageVersion(appRoot), home, platform: process.platform, face }

  const api: ApiHandlers = {
    'app:info': async () => info,
    ...serversApi(servers, changes),
    // A deploy or rollback through the API records the face that started it.
    ...appsApi(apps, changes, certificates, (name) => githubApps.rotateDeployKey(name), face),
    ...metricsApi(metrics),
    ...terminalsApi(terminals),
    ...githubApi(github, githubApps),
    ...pushApi({ push, githubApps, background, relayHosts, changes }),
    ...data.api,
    // Last: its `apps:create` installs catalogue apps, and hands every other source to the apps service.
    ...createShip({
      appRoot,
      home,
      servers,
      apps,
      appStore,
      vault,
      relayTokens,
      scripts,
      prefix,
      processes: { apps, servers, scripts, prefix },
      stacks: { apps, servers, scripts, prefix },
    }).api,
  }

  return {
    home,
    vault,
    changes,
    servers,
    apps,
    push,
    github,
    githubApps,
    terminals,
    relayHosts,
    certificates,
    databases,
    backups,
    backupTargets,
    api,
    /** Deploy on push while the core is open (desktop app, `helvetia ui`): a watcher per connected relay. */
    startBackground: () => background.start(),
    close: () => {
      background.stop()
      metrics.close()
      terminals.closeAll()
      servers.closeConnections()
      db.close()
    },
  }
}

export type Core = ReturnType<typeof createCore>

function packageVersion(appRoot: string): string {
  const pkg = JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as { version: string }
  return pkg.version
}

/**
 * The data services of the core (issue #12): databases, their links to apps and tunnels, backup
 * targets, backups, restores and schedules, wired to each other and to the servers and apps they
 * work on. createCore joins their handlers into the API.
 */
import type { ApiHandlers } from '../api/contract'
import type { Apps } from './apps/apps'
import { createBackupTargets } from './backups/backup-targets'
import { createBackups } from './backups/backups'
import { backupsApi } from './backups/backups-api'
import { createRestores } from './backups/restores'
import { restoresApi } from './backups/restores-api'
import { DEFAULT_UPLOADER_IMAGE } from './backups/target-settings'
import type { Changes } from './changes'
import { createSchedules, schedulesApi } from './databases/backup-schedules'
import { databaseAccessApi } from './databases/database-access-api'
import type { ConnectionOf } from './databases/database-connection'
import { createDatabaseLinks } from './databases/database-links'
import { createDatabases } from './databases/databases'
import { databasesApi } from './databases/databases-api'
import type { ScriptRunner } from './remote/script-runner'
import type { Servers } from './servers/servers'
import type { AppStore } from './store/app-store'
import { createBackupTargetStore } from './store/backup-target-store'
import type { Db } from './store/database'
import { createDatabaseStore } from './store/database-store'
import type { Vault } from './vault/vault'

export interface DataDeps {
  db: Db
  servers: Servers
  apps: Apps
  appStore: AppStore
  vault: Vault
  scripts: ScriptRunner
  changes: Changes
  prefix?: string
  /** The image backups upload with (rclone's own by default; the tests use a local build). */
  uploaderImage?: string
}

export function createData(deps: DataDeps) {
  const { db, servers, apps, vault, scripts, changes, prefix } = deps
  const databases = createDatabases({
    store: createDatabaseStore(db),
    apps: deps.appStore,
    servers,
    vault,
    scripts,
    changes,
    prefix,
  })
  const backupTargets = createBackupTargets({
    store: createBackupTargetStore(db),
    vault,
    scripts,
    prefix,
    uploaderImage: deps.uploaderImage ?? DEFAULT_UPLOADER_IMAGE,
    serverById: (id) => servers.byId(id),
    targetFor: (server) => servers.targetFor(server),
  })
  const backups = createBackups({
    scripts,
    prefix,
    targets: backupTargets,
    locate: async (name) => {
      const { entry, server } = await databases.locate(name)
      return { target: servers.targetFor(server), server, engine: entry.engine }
    },
    scheduleTarget: async (name) => (await databases.info(name)).schedule?.target ?? null,
  })
  const restores = createRestores({
    scripts,
    prefix,
    locate: async (name) => {
      const [{ server }, info] = await Promise.all([databases.locate(name), databases.info(name)])
      const { engine, version, image, memory, cpus } = info
      return { target: servers.targetFor(server), server: server.name, engine, version, image, memory, cpus }
    },
    create: (input) => databases.create(input, () => {}),
    backup: (name) => backups.backup(name),
  })
  const schedules = createSchedules({
    scripts,
    servers,
    locate: (name) => databases.locate(name),
    // A target this computer holds goes onto the server before the agent needs it; one set up from
    // another computer must be there already (db-schedule.sh checks: BACKUP_TARGET_NOT_FOUND).
    installTarget: async (server, target) => {
      if (backupTargets.knows(target)) await backupTargets.installOn(target, server)
    },
    prefix,
  })
  // Databases linked to apps and reached from this computer, by the databases service's facts.
  const connectionOf: ConnectionOf = (name) => databases.connection(name)
  const databaseLinks = createDatabaseLinks({ connectionOf, servers, apps, scripts, prefix })

  const api = {
    ...databasesApi(databases),
    ...schedulesApi(schedules),
    ...backupsApi(backups, backupTargets),
    ...restoresApi(restores),
    ...databaseAccessApi(databaseLinks, { connectionOf, servers, scripts, prefix }),
  } satisfies Partial<ApiHandlers>

  return { databases, backupTargets, backups, connectionOf, api }
}

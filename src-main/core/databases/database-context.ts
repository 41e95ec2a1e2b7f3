import type { ServerSummary } from '../../api/servers'
import type { Changes } from '../changes'
import type { AppServers } from '../apps/app-context'
import { UserError } from '../errors'
import type { ScriptRunner } from '../remote/script-runner'
import type { AppStore } from '../store/app-store'
import type { DatabaseStore } from '../store/database-store'
import type { Vault } from '../vault/vault'
import { credentialVault } from './credentials'

export interface DatabasesDeps {
  store: DatabaseStore
  /** A database may not take the name of an app on its server. */
  apps: AppStore
  servers: AppServers & { list(): ServerSummary[] }
  vault: Vault
  scripts: ScriptRunner
  changes: Changes
  /** Names what Helvetia creates on servers (default `helvetia`). */
  prefix?: string
}

/** What every part of the databases service shares. */
export function createDatabasesContext(deps: DatabasesDeps) {
  const prefix = deps.prefix ?? 'helvetia'
  return {
    ...deps,
    prefix,
    credentials: credentialVault(deps.vault, prefix),
    /** The database's container: its host name on Helvetia's network. */
    containerName: (name: string) => `${prefix}-db-${name}`,
    changed: (): void => void deps.changes.emit('databases'),
  }
}

export type DatabasesContext = ReturnType<typeof createDatabasesContext>

export const databaseNotFound = (name: string) =>
  new UserError(
    'DATABASE_NOT_FOUND',
    `No database named "${name}".`,
    'Run `helvetia db list` to see the databases.',
  )

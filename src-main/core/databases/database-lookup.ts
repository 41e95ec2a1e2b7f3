import type { DatabaseInfo, DatabaseListing } from '../../api/databases'
import { UserError } from '../errors'
import type { DatabaseCacheEntry } from '../store/database-store'
import type { ServerRecord } from '../store/server-store'
import { backupHealth, readSchedule } from './backup-health'
import { databaseNotFound, type DatabasesContext } from './database-context'
import { validateDatabaseName } from './database-input'
import { parseDatabaseLines, summarizeDatabase, type ServerDatabase } from './database-records'
import { connectionUrl, engineNames } from './engines'

/** Reading databases from their servers' records, and finding which server holds one. */
export function createDatabaseLookup(ctx: DatabasesContext) {
  const { prefix, scripts, servers, store } = ctx

  const cacheEntry = (db: ServerDatabase, server: ServerRecord): DatabaseCacheEntry => ({
    name: db.record.name,
    serverId: server.id,
    engine: db.record.engine,
    createdAt: db.record.createdAt,
  })

  /** Every server's databases, read in parallel; the cache follows what each reachable server says. */
  async function list(): Promise<DatabaseListing> {
    const known = servers.list().flatMap((summary) => servers.byId(summary.id) ?? [])
    const reads = known.map(async (server) => {
      try {
        const { lines } = await scripts.call(servers.targetFor(server), 'db.list', { prefix })
        const found = parseDatabaseLines(lines)
        store.replaceServer(
          server.id,
          found.map((db) => cacheEntry(db, server)),
        )
        return { databases: found.map((db) => summarizeDatabase(db, server.name)) }
      } catch (error) {
        const { code = 'INTERNAL', message } = error as { code?: string; message: string }
        return { unreachable: { server: server.name, code, message } }
      }
    })
    const results = await Promise.all(reads)
    return {
      databases: results.flatMap((r) => r.databases ?? []).sort((a, b) => a.name.localeCompare(b.name)),
      unreachable: results.flatMap((r) => (r.unreachable ? [r.unreachable] : [])),
    }
  }

  /** Where database `name` is: the cache, else the servers' records read again. */
  async function locate(name: string): Promise<{ entry: DatabaseCacheEntry; server: ServerRecord }> {
    validateDatabaseName(name)
    let entry = store.get(name)
    if (!entry) {
      await list()
      entry = store.get(name)
    }
    if (!entry) throw databaseNotFound(name)
    const server = servers.byId(entry.serverId)
    if (!server) {
      store.remove(name)
      throw databaseNotFound(name)
    }
    return { entry, server }
  }

  /** The database in full, from its server's record. */
  async function info(name: string): Promise<DatabaseInfo> {
    const { server } = await locate(name)
    let lines: string[]
    try {
      ;({ lines } = await scripts.call(servers.targetFor(server), 'db.info', { prefix, database: name }))
    } catch (error) {
      // Removed on the server by someone else: the cache forgets it.
      if (error instanceof UserError && error.code === 'DATABASE_NOT_FOUND') store.remove(name)
      throw error
    }
    const db = parseDatabaseLines(lines).find((d) => d.record.name === name)
    if (!db) throw databaseNotFound(name)
    const { record } = db
    const schedule = readSchedule(db.schedule)
    const host = ctx.containerName(name)
    const names = engineNames(record.engine, name)
    return {
      ...summarizeDatabase(db, server.name),
      memory: record.memory,
      cpus: record.cpus,
      url: connectionUrl(record.engine, host, { ...names, password: null }),
      host,
      port: record.port,
      backups: backupHealth(db.backups, db.drills, schedule),
      schedule,
    }
  }

  return { list, locate, info }
}

export type DatabaseLookup = ReturnType<typeof createDatabaseLookup>

import type { DatabaseEngine } from '../../api/databases'
import type { Db } from './database'

/**
 * Which server each database is on, cached from the servers' records (they are the record: this is
 * only where `db info NAME` looks first). No credential is ever here: those are in the keychain.
 */
export interface DatabaseCacheEntry {
  name: string
  serverId: string
  engine: DatabaseEngine
  createdAt: string
}

interface Row {
  name: string
  server_id: string
  engine: DatabaseEngine
  created_at: string
}

const fromRow = (row: Row): DatabaseCacheEntry => ({
  name: row.name,
  serverId: row.server_id,
  engine: row.engine,
  createdAt: row.created_at,
})

export function createDatabaseStore(db: Db) {
  const byName = db.prepare<[string], Row>('SELECT * FROM databases WHERE name = ?')
  const ofServer = db.prepare<[string], Row>('SELECT * FROM databases WHERE server_id = ? ORDER BY name')
  const put = db.prepare(
    `INSERT INTO databases (name, server_id, engine, created_at) VALUES (@name, @serverId, @engine, @createdAt)
     ON CONFLICT (name) DO UPDATE SET server_id = excluded.server_id, engine = excluded.engine, created_at = excluded.created_at`,
  )
  const remove = db.prepare<[string]>('DELETE FROM databases WHERE name = ?')
  return {
    get: (name: string): DatabaseCacheEntry | null => {
      const row = byName.get(name)
      return row ? fromRow(row) : null
    },
    put: (entry: DatabaseCacheEntry): void => void put.run(entry),
    remove: (name: string): void => void remove.run(name),
    /** Makes the server's entries exactly `entries` (what its record lists now). */
    replaceServer: db.transaction((serverId: string, entries: readonly DatabaseCacheEntry[]) => {
      const kept = new Set(entries.map((e) => e.name))
      for (const row of ofServer.all(serverId)) if (!kept.has(row.name)) remove.run(row.name)
      for (const entry of entries) put.run(entry)
    }),
  }
}

export type DatabaseStore = ReturnType<typeof createDatabaseStore>

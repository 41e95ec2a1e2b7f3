import type { AuthMethod, ServerProxy, ServerSummary } from '../../api/contract'
import type { Db } from './database'

export interface ServerRecord extends ServerSummary {
  /** Private key file for `key-file` auth. */
  keyPath: string | null
}

/** A server as it is added: what runs on it is usually learned later (setProxy). */
export type NewServerRecord = Omit<ServerRecord, 'proxy'> & { proxy?: ServerProxy | null }

interface Row {
  id: string
  name: string
  host: string
  port: number
  user: string
  auth: AuthMethod
  key_path: string | null
  host_key_fingerprint: string | null
  created_at: string
  proxy_json: string | null
}

const fromRow = (row: Row): ServerRecord => ({
  id: row.id,
  name: row.name,
  host: row.host,
  port: row.port,
  user: row.user,
  auth: row.auth,
  keyPath: row.key_path,
  hostKeyFingerprint: row.host_key_fingerprint,
  createdAt: row.created_at,
  proxy: row.proxy_json === null ? null : (JSON.parse(row.proxy_json) as ServerProxy),
})

const toJson = (proxy: ServerProxy | null | undefined) => (proxy ? JSON.stringify(proxy) : null)

export function createServerStore(db: Db) {
  const list = db.prepare<[], Row>('SELECT * FROM servers ORDER BY name')
  const byName = db.prepare<[string], Row>('SELECT * FROM servers WHERE name = ?')
  const byId = db.prepare<[string], Row>('SELECT * FROM servers WHERE id = ?')
  const insert = db.prepare(
    `INSERT INTO servers (id, name, host, port, user, auth, key_path, host_key_fingerprint, created_at, proxy_json)
     VALUES (@id, @name, @host, @port, @user, @auth, @keyPath, @hostKeyFingerprint, @createdAt, @proxyJson)`,
  )
  const remove = db.prepare<[string]>('DELETE FROM servers WHERE id = ?')
  const pin = db.prepare<[string | null, string]>('UPDATE servers SET host_key_fingerprint = ? WHERE id = ?')
  const proxy = db.prepare<[string | null, string]>('UPDATE servers SET proxy_json = ? WHERE id = ?')
  return {
    list: (): ServerRecord[] => list.all().map(fromRow),
    get: (name: string): ServerRecord | null => {
      const row = byName.get(name)
      return row ? fromRow(row) : null
    },
    getById: (id: string): ServerRecord | null => {
      const row = byId.get(id)
      return row ? fromRow(row) : null
    },
    insert: (record: NewServerRecord): void =>
      void insert.run({ ...record, proxyJson: toJson(record.proxy) }),
    remove: (id: string): void => void remove.run(id),
    pinHostKey: (id: string, fingerprint: string | null): void => void pin.run(fingerprint, id),
    /** Remembers what runs on the server; false when the server is gone. */
    setProxy: (id: string, value: ServerProxy | null): boolean => proxy.run(toJson(value), id).changes > 0,
  }
}

export type ServerStore = ReturnType<typeof createServerStore>

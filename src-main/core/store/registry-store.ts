import type { RegistryLogin } from '../../api/images'
import type { Db } from './database'

interface Row {
  host: string
  username: string
  added_at: string
}

const login = (row: Row): RegistryLogin => ({ host: row.host, username: row.username, addedAt: row.added_at })

/** The registries this computer holds a login for: host and user name (the password is in the vault). */
export function createRegistryStore(db: Db) {
  const all = db.prepare<[], Row>('SELECT * FROM registries ORDER BY host')
  const one = db.prepare<[string], Row>('SELECT * FROM registries WHERE host = ?')
  const save = db.prepare<[string, string, string]>(
    `INSERT INTO registries (host, username, added_at) VALUES (?, ?, ?)
     ON CONFLICT (host) DO UPDATE SET username = excluded.username, added_at = excluded.added_at`,
  )
  const remove = db.prepare<[string]>('DELETE FROM registries WHERE host = ?')
  return {
    list: (): RegistryLogin[] => all.all().map(login),
    get: (host: string): RegistryLogin | null => {
      const row = one.get(host)
      return row ? login(row) : null
    },
    /** Adds the registry, or replaces its user name. */
    save: (entry: RegistryLogin): void => void save.run(entry.host, entry.username, entry.addedAt),
    remove: (host: string): void => void remove.run(host),
  }
}

export type RegistryStore = ReturnType<typeof createRegistryStore>

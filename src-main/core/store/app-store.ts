import type { AppSource, StoredSpec } from '../../api/apps'
import type { Db } from './database'

export type { AppSource, StoredSpec } from '../../api/apps'

export interface AppRecord {
  id: string
  name: string
  serverId: string
  spec: StoredSpec
  source: AppSource
  /** An env change not deployed yet. */
  envPending: boolean
  /** A settings change not deployed yet. */
  settingsPending: boolean
  createdAt: string
}

export interface StoredEnvVar {
  key: string
  /** null for a secret: its value is in the vault. */
  value: string | null
  secret: boolean
}

interface Row {
  id: string
  name: string
  server_id: string
  spec_json: string
  source_json: string
  env_pending: number
  settings_pending: number
  created_at: string
}

const fromRow = (row: Row): AppRecord => ({
  id: row.id,
  name: row.name,
  serverId: row.server_id,
  spec: JSON.parse(row.spec_json) as StoredSpec,
  source: JSON.parse(row.source_json) as AppSource,
  envPending: row.env_pending === 1,
  settingsPending: row.settings_pending === 1,
  createdAt: row.created_at,
})

export function createAppStore(db: Db) {
  const list = db.prepare<[], Row>('SELECT * FROM apps ORDER BY name')
  const byName = db.prepare<[string], Row>('SELECT * FROM apps WHERE name = ?')
  const byServer = db.prepare<[string], Row>('SELECT * FROM apps WHERE server_id = ? ORDER BY name')
  const insert = db.prepare(
    `INSERT INTO apps (id, name, server_id, spec_json, source_json, env_pending, created_at)
     VALUES (@id, @name, @serverId, @spec, @source, 0, @createdAt)`,
  )
  const remove = db.prepare<[string]>('DELETE FROM apps WHERE id = ?')
  const setPending = db.prepare<[number, string]>('UPDATE apps SET env_pending = ? WHERE id = ?')
  // Each flag times 0 (cleared) or 1 (kept).
  const clearPending = db.prepare<[number, number, string]>(
    `UPDATE apps SET env_pending = env_pending * ?, settings_pending = settings_pending * ? WHERE id = ?`,
  )
  const update = db.prepare(
    'UPDATE apps SET spec_json = @spec, source_json = @source, settings_pending = 1 WHERE id = @id',
  )
  const setSource = db.prepare<[string, string]>('UPDATE apps SET source_json = ? WHERE id = ?')
  const env = db.prepare<[string], { key: string; value: string | null; secret: number }>(
    'SELECT key, value, secret FROM app_env WHERE app_id = ? ORDER BY key',
  )
  const upsertEnv = db.prepare<[string, string, string | null, number]>(
    `INSERT INTO app_env (app_id, key, value, secret) VALUES (?, ?, ?, ?)
     ON CONFLICT (app_id, key) DO UPDATE SET value = excluded.value, secret = excluded.secret`,
  )
  const removeEnv = db.prepare<[string, string]>('DELETE FROM app_env WHERE app_id = ? AND key = ?')
  return {
    list: (): AppRecord[] => list.all().map(fromRow),
    get: (name: string): AppRecord | null => {
      const row = byName.get(name)
      return row ? fromRow(row) : null
    },
    /** The apps on one server. */
    byServer: (serverId: string): AppRecord[] => byServer.all(serverId).map(fromRow),
    insert: (record: AppRecord): void =>
      void insert.run({
        ...record,
        spec: JSON.stringify(record.spec),
        source: JSON.stringify(record.source),
      }),
    remove: (id: string): void => void remove.run(id),
    /** Settings and source changed: pending until the next deploy. */
    update: (id: string, spec: StoredSpec, source: AppSource): void =>
      void update.run({ id, spec: JSON.stringify(spec), source: JSON.stringify(source) }),
    /** A source change that is not a setting to deploy (a new deploy key): nothing becomes pending. */
    setSource: (id: string, source: AppSource): void => void setSource.run(JSON.stringify(source), id),
    /** What a deploy carried is deployed: its env, its settings, or both are no longer pending. */
    clearPending: (id: string, which: { env: boolean; settings: boolean }): void =>
      void clearPending.run(which.env ? 0 : 1, which.settings ? 0 : 1, id),
    env: (id: string): StoredEnvVar[] =>
      env.all(id).map((row) => ({ key: row.key, value: row.value, secret: row.secret === 1 })),
    /** Sets variables and marks the env pending, all or nothing. */
    setEnv: db.transaction((id: string, vars: readonly StoredEnvVar[]) => {
      for (const v of vars) upsertEnv.run(id, v.key, v.secret ? null : v.value, v.secret ? 1 : 0)
      setPending.run(1, id)
    }),
    unsetEnv: db.transaction((id: string, keys: readonly string[]) => {
      for (const key of keys) removeEnv.run(id, key)
      setPending.run(1, id)
    }),
  }
}

export type AppStore = ReturnType<typeof createAppStore>

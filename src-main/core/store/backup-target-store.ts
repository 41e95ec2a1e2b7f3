import type { BackupTarget } from '../../api/backups'
import type { Db } from './database'

interface Row {
  name: string
  endpoint: string
  bucket: string
  region: string | null
  prefix: string | null
  access_key_id: string
  created_at: string
}

/** Backup targets' non-secret settings, and the ids of the servers that hold each one's settings file. */
export function createBackupTargetStore(db: Db) {
  const all = db.prepare<[], Row>('SELECT * FROM backup_targets ORDER BY name')
  const one = db.prepare<[string], Row>('SELECT * FROM backup_targets WHERE name = ?')
  const serverIds = db.prepare<[string], { server_id: string }>(
    'SELECT server_id FROM backup_target_servers WHERE target = ? ORDER BY server_id',
  )
  const insert = db.prepare<[string, string, string, string | null, string | null, string, string]>(
    `INSERT INTO backup_targets (name, endpoint, bucket, region, prefix, access_key_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  )
  const addServer = db.prepare<[string, string]>(
    'INSERT OR IGNORE INTO backup_target_servers (target, server_id) VALUES (?, ?)',
  )
  const remove = db.prepare<[string]>('DELETE FROM backup_targets WHERE name = ?')
  /** The target with the ids (not names) of its servers. */
  const target = (row: Row): BackupTarget => ({
    name: row.name,
    endpoint: row.endpoint,
    bucket: row.bucket,
    region: row.region,
    prefix: row.prefix,
    accessKeyId: row.access_key_id,
    servers: serverIds.all(row.name).map((r) => r.server_id),
    createdAt: row.created_at,
  })
  return {
    list: (): BackupTarget[] => all.all().map(target),
    get: (name: string): BackupTarget | null => {
      const row = one.get(name)
      return row ? target(row) : null
    },
    insert: (t: Omit<BackupTarget, 'servers'>): void =>
      void insert.run(t.name, t.endpoint, t.bucket, t.region, t.prefix, t.accessKeyId, t.createdAt),
    /** The target's settings file is now on this server. */
    addServer: (name: string, serverId: string): void => void addServer.run(name, serverId),
    remove: (name: string): void => void remove.run(name),
  }
}

export type BackupTargetStore = ReturnType<typeof createBackupTargetStore>

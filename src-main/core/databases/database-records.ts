import type { DatabaseEngine, DatabaseState, DatabaseSummary } from '../../api/databases'

/** database.json as db-create.sh writes it. */
export interface DatabaseRecord {
  name: string
  engine: DatabaseEngine
  version: string
  image: string
  memory: string | null
  cpus: number | null
  port: number
  createdAt: string
}

/** db_backups_dir/ID.json: one backup run, as the backup pipeline records it. */
export interface BackupRun {
  id: string
  target: string
  state: 'running' | 'verified' | 'failed' | 'corrupt'
  at: string
  size?: number | null
  sha256?: string | null
  error: { code: string; message: string } | null
}

/** db_drills_dir/ID.json: one restore drill of a backup. */
export interface DrillRun {
  backup: string
  at: string
  ok: boolean
}

/** One database as db-list.sh and db-info.sh print it (lib/db-common.sh's db_print, and db-info's extra lines). */
export interface ServerDatabase {
  record: DatabaseRecord
  state: DatabaseState
  links: { app: string; key: string }[]
  backups: BackupRun[]
  drills: DrillRun[]
  /** The schedule file's `KEY=value` lines. */
  schedule: Record<string, string> | null
}

const STATES: readonly DatabaseState[] = ['running', 'restarting', 'exited', 'missing']
const stateOf = (docker: string): DatabaseState =>
  STATES.includes(docker as DatabaseState)
    ? (docker as DatabaseState)
    : docker === 'dead'
      ? 'exited'
      : 'unknown'

/** Reads the scripts' `NAME KIND REST` lines, by database, in the order they came. */
export function parseDatabaseLines(lines: readonly string[]): ServerDatabase[] {
  const byName = new Map<string, Partial<ServerDatabase> & Omit<ServerDatabase, 'record'>>()
  for (const line of lines) {
    const match = /^(\S+) (record|state|link|backup|drill|schedule) (.*)$/.exec(line)
    if (!match) continue
    const [, name = '', kind, rest = ''] = match
    let db = byName.get(name)
    if (!db) {
      db = { state: 'unknown', links: [], backups: [], drills: [], schedule: null }
      byName.set(name, db)
    }
    if (kind === 'record') db.record = JSON.parse(rest) as DatabaseRecord
    else if (kind === 'state') db.state = stateOf(rest.trim())
    else if (kind === 'link') {
      const [app = '', key = ''] = rest.trim().split(' ')
      db.links.push({ app, key })
    } else if (kind === 'backup') db.backups.push(JSON.parse(rest) as BackupRun)
    else if (kind === 'drill') db.drills.push(JSON.parse(rest) as DrillRun)
    else {
      const eq = rest.indexOf('=')
      if (eq > 0) db.schedule = { ...db.schedule, [rest.slice(0, eq)]: rest.slice(eq + 1) }
    }
  }
  return [...byName.values()].filter((db): db is ServerDatabase => db.record !== undefined)
}

/** The database as `db list` shows it. */
export const summarizeDatabase = (db: ServerDatabase, server: string): DatabaseSummary => ({
  name: db.record.name,
  server,
  engine: db.record.engine,
  version: db.record.version,
  image: db.record.image,
  state: db.state,
  linkedApps: db.links,
  createdAt: db.record.createdAt,
})

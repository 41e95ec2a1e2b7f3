import type { RestoreDrill, RestoreInput, RestoreResult } from '../../api/backups'
import type { CreateDatabaseInput, DatabaseEngine } from '../../api/databases'
import { UserError } from '../errors'
import type { ScriptEvent, ScriptRunner } from '../remote/script-runner'
import { PATTERNS, whole } from '../rules/patterns'
import type { Target } from '../targets/target'

const BACKUP_ID = whole(PATTERNS.backupId)
const DATABASE_NAME = whole(PATTERNS.app)

/** A database as the restores need it: where it runs and what it runs. */
export interface LocatedDatabase {
  target: Target
  server: string
  engine: DatabaseEngine
  version: string
  image: string
  memory: string | null
  cpus: number | null
}

export interface RestoreDeps {
  scripts: ScriptRunner
  /** Names what Helvetia creates on servers; default `helvetia`. */
  prefix?: string
  /** The database NAME: its server and engine (the databases service). */
  locate(name: string): Promise<LocatedDatabase>
  /** Creates a database as `db create` does: container, volume, new credentials in the keychain. */
  create(input: CreateDatabaseInput): Promise<unknown>
  /** Backs NAME up now to its usual target; resolves with the verified backup's id (the backups service). */
  backup(name: string): Promise<{ id: string }>
}

export interface RestoreOptions {
  onEvent?: (event: ScriptEvent) => void
  signal?: AbortSignal
}

/**
 * Proving backups restore (drills) and restoring them: into a new database by default, or in place
 * after a fresh backup of what it replaces. The work runs on the server (db-drill.sh, db-restore.sh);
 * this sequences it and reads the results.
 */
export function createRestores(deps: RestoreDeps) {
  const prefix = deps.prefix ?? 'helvetia'

  /** The backup `from` names (an id, or `latest`: the newest verified one), resolved on the server. */
  const resolve = async (target: Target, name: string, from: string, options: RestoreOptions) => {
    if (from !== 'latest' && !BACKUP_ID.test(from)) {
      throw new UserError(
        'INVALID_OPTION',
        `Not a backup id: "${from}"`,
        'Give a backup id as `helvetia db backups NAME` lists it (YYYYMMDDTHHMMSSZ-xxxx), or latest.',
        { field: 'from' },
      )
    }
    const { facts } = await deps.scripts.call(
      target,
      'db.backup-resolve',
      { prefix, database: name, backup: from },
      options,
    )
    return facts.id as string
  }

  return {
    /** Restores a backup into a scratch container and compares its counts with the manifest's. */
    async drill(name: string, backup: string, options: RestoreOptions = {}): Promise<RestoreDrill> {
      const { target } = await deps.locate(name)
      const id = await resolve(target, name, backup, options)
      const { lines } = await deps.scripts.call(
        target,
        'db.drill',
        { prefix, database: name, backup: id },
        options,
      )
      const record = lastJson<RestoreDrill & { backup: string }>(lines, 'db-drill.sh')
      return { at: record.at, ok: record.ok, counts: record.counts }
    },

    async restore(input: RestoreInput, options: RestoreOptions = {}): Promise<RestoreResult> {
      const { name, from, into, inPlace = false } = input
      if (inPlace && into !== undefined) {
        throw new UserError(
          'INVALID_OPTION',
          '--in-place and --into exclude each other',
          'Restore into a new database (--into NAME), or replace the data of this one (--in-place).',
          { field: 'into' },
        )
      }
      const located = await deps.locate(name)
      const id = await resolve(located.target, name, from, options)
      let database = name
      let safetyBackup: string | null = null
      if (inPlace) {
        // What the restore replaces is backed up first; no restore without it.
        try {
          safetyBackup = (await deps.backup(name)).id
        } catch (error) {
          throw new UserError(
            'SAFETY_BACKUP_FAILED',
            `The backup of ${name} taken before restoring in place failed, so nothing was restored: ${(error as Error).message}`,
            'Fix the backup (helvetia db backup NAME), then restore again.',
          )
        }
      } else {
        database = into ?? restoredName(name, id)
        if (!DATABASE_NAME.test(database)) {
          throw new UserError(
            'INVALID_OPTION',
            `"${database}" is not a database name (lowercase letters, digits and dashes, at most 40)`,
            'Name the new database with --into NAME.',
            { field: 'into' },
          )
        }
        const { server, engine, version, image, memory, cpus } = located
        await deps.create({
          name: database,
          server,
          engine,
          version,
          image,
          ...(memory ? { memory } : {}),
          ...(cpus ? { cpus } : {}),
        })
      }
      const { lines } = await deps.scripts.call(
        located.target,
        'db.restore',
        { prefix, database, source: name, backup: id, inPlace: inPlace ? 1 : 0 },
        options,
      )
      const { ok, counts } = lastJson<{ ok: boolean; counts: RestoreDrill['counts'] }>(lines, 'db-restore.sh')
      if (!ok) {
        const differ = counts.filter((c) => c.expected !== c.actual)
        throw new UserError(
          'RESTORE_COUNTS_DIFFER',
          `${database} was restored from ${id}, but its counts differ from the manifest: ${differ
            .map((c) => `${c.table} ${c.actual} of ${c.expected}`)
            .join(', ')}`,
          'Drill the backup (helvetia db backup drill) and try an older one.',
        )
      }
      return { database, backup: id, safetyBackup, counts }
    },
  }
}

export type Restores = ReturnType<typeof createRestores>

/** `NAME-restored-<backup time>`: `shop-restored-20261206t0300` for backup 20261206T030000Z-ab12. */
export function restoredName(name: string, backup: string): string {
  return `${name}-restored-${backup.slice(0, 13).toLowerCase()}`
}

/** The script's result: its last output line, one JSON object. */
function lastJson<T>(lines: string[], script: string): T {
  const line = lines.findLast((l) => l.startsWith('{'))
  if (!line) throw new Error(`${script} printed no result`)
  return JSON.parse(line) as T
}

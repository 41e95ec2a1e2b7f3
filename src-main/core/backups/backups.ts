import type { BackupInfo, BackupState, BackupTarget } from '../../api/backups'
import type { DatabaseEngine } from '../../api/databases'
import { UserError } from '../errors'
import type { ScriptEvent, ScriptRunner } from '../remote/script-runner'
import { PATTERNS, whole } from '../rules/patterns'
import type { ServerRecord } from '../store/server-store'
import type { Target } from '../targets/target'
import type { BackupTargets } from './backup-targets'

const BACKUP_ID = whole(PATTERNS.backupId)

/** A database as backups need it: where it runs and what it runs. */
export interface BackedUpDatabase {
  target: Target
  server: ServerRecord
  engine: DatabaseEngine
}

export interface BackupsDeps {
  scripts: ScriptRunner
  prefix?: string
  targets: BackupTargets
  /** The database NAME (the databases service). */
  locate(name: string): Promise<BackedUpDatabase>
  /** The target of NAME's backup schedule, if it has one (the default target when none is named). */
  scheduleTarget(name: string): Promise<string | null>
}

export interface BackupOptions {
  /** The script's progress lines (steps: lock, dump, verify). */
  onEvent?: (event: ScriptEvent) => void
  signal?: AbortSignal
}

export interface Retention {
  keepDaily: number
  keepWeekly: number
  keepMonthly: number
}

/** A manifest as db-backup.sh writes it (remote-scripts/lib/backup-store.sh), and the server's run record. */
interface Manifest {
  id: string
  engine: DatabaseEngine
  version: string
  createdAt: string
  size: number
  sha256: string
  tools: Record<string, string>
  counts: Record<string, number> | null
  verified: boolean
  state?: BackupState
}
interface RunRecord {
  id: string
  target: string
  state: BackupState
  at: string
  size: number | null
  sha256: string | null
  error: { code: string; message: string } | null
}

/**
 * Backups of databases to S3-compatible targets, run on the database's server (db-backup.sh and its
 * siblings): back up now, list, verify again, apply retention. A backup resolves only once the stored
 * object was read back and matched; the scripts delete anything a failed one left.
 */
export function createBackups(deps: BackupsDeps) {
  const { scripts, targets } = deps
  const prefix = deps.prefix ?? 'helvetia'

  /**
   * The target a command means: the one it names, else the schedule's, else the only one there is.
   * Its settings are installed on the database's server on first use.
   */
  async function targetFor(
    name: string,
    db: BackedUpDatabase,
    to: string | undefined,
  ): Promise<BackupTarget> {
    const chosen = to ?? (await deps.scheduleTarget(name)) ?? onlyTarget()
    const target = targets.get(chosen)
    await targets.installOn(chosen, db.server)
    return target
  }
  function onlyTarget(): string {
    const all = targets.list()
    if (all.length === 1) return (all[0] as BackupTarget).name
    throw new UserError(
      'BACKUP_TARGET_NEEDED',
      all.length === 0 ? 'No backup target is set up.' : `Which backup target? There are ${all.length}.`,
      all.length === 0
        ? 'Add one: `helvetia backup target add NAME --s3 ENDPOINT --bucket B --access-key-id ID`.'
        : 'Name one with --to TARGET (`helvetia backup target list`).',
    )
  }

  /** Runs a target's operation; a server that lost the target's settings file gets it again, once. */
  async function onTarget<T>(db: BackedUpDatabase, target: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run()
    } catch (error) {
      if (!(error instanceof UserError) || error.code !== 'BACKUP_TARGET_MISSING') throw error
      await targets.installOn(target, db.server, { force: true })
      return run()
    }
  }

  async function list(name: string, db: BackedUpDatabase, target: string): Promise<BackupInfo[]> {
    const { lines } = await onTarget(db, target, () =>
      scripts.call(db.target, 'db.backups', { prefix, database: name, target }),
    )
    const manifests = new Map<string, Manifest>()
    const runs = new Map<string, RunRecord>()
    for (const line of lines) {
      const space = line.indexOf(' ')
      const kind = line.slice(0, space)
      if (kind !== 'manifest' && kind !== 'run') continue
      const value = JSON.parse(line.slice(space + 1)) as Manifest & RunRecord
      if (kind === 'manifest') manifests.set(value.id, value)
      else if (value.target === target) runs.set(value.id, value)
    }
    const ids = new Set([...manifests.keys(), ...runs.keys()])
    return [...ids]
      .sort()
      .reverse()
      .map((id) => backupInfo(name, target, db, manifests.get(id), runs.get(id)))
  }

  return {
    /** Backs NAME up to `to` (or its usual target); resolves once verified, else throws the failure. */
    async backup(name: string, to?: string, options: BackupOptions = {}): Promise<BackupInfo> {
      const db = await deps.locate(name)
      const target = await targetFor(name, db, to)
      const { facts } = await onTarget(db, target.name, () =>
        scripts.call(db.target, 'db.backup', { prefix, database: name, target: target.name }, options),
      )
      const made = (await list(name, db, target.name)).find((backup) => backup.id === facts.id)
      if (!made || made.state !== 'verified') {
        throw new UserError(
          'BACKUP_VERIFY_FAILED',
          `Backup ${facts.id} is not listed as verified in ${target.name}.`,
        )
      }
      return made
    },

    /** The backups in the target's bucket (default: the usual one) and the server's failed runs, newest first. */
    async backups(name: string, to?: string): Promise<BackupInfo[]> {
      const db = await deps.locate(name)
      return list(name, db, (await targetFor(name, db, to)).name)
    },

    /** Reads the backup back and compares it with its manifest; a mismatch flags it corrupt and throws. */
    async verify(
      name: string,
      backup: string,
      to?: string,
      options: BackupOptions = {},
    ): Promise<BackupInfo> {
      if (!BACKUP_ID.test(backup)) {
        throw new UserError(
          'INVALID_OPTION',
          `Not a backup id: "${backup}"`,
          'Give an id as `helvetia db backups NAME` lists it.',
          {
            field: 'backup',
          },
        )
      }
      const db = await deps.locate(name)
      const target = await targetFor(name, db, to)
      await onTarget(db, target.name, () =>
        scripts.call(
          db.target,
          'db.verify',
          { prefix, database: name, target: target.name, backup },
          options,
        ),
      )
      const found = (await list(name, db, target.name)).find((b) => b.id === backup)
      if (!found) throw new UserError('BACKUP_NOT_FOUND', `No backup ${backup} of ${name} in ${target.name}.`)
      return found
    },

    /** Deletes the backups retention does not keep (computed from the bucket's manifests alone). */
    async prune(name: string, keep: Retention, to?: string, options: BackupOptions = {}) {
      const db = await deps.locate(name)
      const target = await targetFor(name, db, to)
      const { facts } = await onTarget(db, target.name, () =>
        scripts.call(
          db.target,
          'db.retention',
          { prefix, database: name, target: target.name, ...keep },
          options,
        ),
      )
      return { kept: Number(facts.kept), deleted: Number(facts.deleted) }
    },
  }
}

/** One backup from its manifest (when it has one) and the server's record of its run (when there is one). */
function backupInfo(
  database: string,
  target: string,
  db: BackedUpDatabase,
  manifest: Manifest | undefined,
  run: RunRecord | undefined,
): BackupInfo {
  const state: BackupState =
    manifest?.state === 'corrupt' || run?.state === 'corrupt'
      ? 'corrupt'
      : manifest
        ? manifest.verified
          ? 'verified'
          : 'failed'
        : (run?.state ?? 'failed')
  return {
    id: (manifest?.id ?? run?.id) as string,
    database,
    target,
    at: manifest?.createdAt ?? run?.at ?? '',
    size: manifest?.size ?? run?.size ?? 0,
    state,
    verified: state === 'verified',
    sha256: manifest?.sha256 ?? run?.sha256 ?? null,
    engine: manifest?.engine ?? db.engine,
    // A run that left no manifest: the version is in the database's record, not read here.
    version: manifest?.version ?? '',
    tools: manifest?.tools ?? {},
    counts: manifest?.counts ?? null,
    drill: null,
    error: state === 'verified' ? null : (run?.error ?? null),
  }
}

export type Backups = ReturnType<typeof createBackups>

/**
 * Backups of databases: S3-compatible targets, backups verified by reading them back, restore drills,
 * restores and schedules the server runs by itself. Types, plain data and input schemas only.
 */
import { z } from 'zod'
import type { BackupSchedule, DatabaseEngine } from './databases'
import { byName, call, noInput, text } from './spec'

const scheduleInput = z.strictObject({
  name: text,
  every: text,
  at: text.optional(),
  to: text,
  keepDaily: z.int().min(0).max(1000),
  keepWeekly: z.int().min(0).max(1000),
  keepMonthly: z.int().min(0).max(1000),
  drillEvery: text.nullable().optional(),
  webhook: text.nullable().optional(),
})
export type ScheduleInput = z.infer<typeof scheduleInput>

export type BackupState = 'running' | 'verified' | 'failed' | 'corrupt'

/** One backup, read from its manifest in the bucket (and the server's record while it runs). */
export interface BackupInfo {
  /** `YYYYMMDDTHHMMSSZ-xxxx`: sorts by time. */
  id: string
  database: string
  target: string
  at: string
  /** Compressed bytes as stored. */
  size: number
  state: BackupState
  /** The stored object was read back and its sha256 matched the manifest's. */
  verified: boolean
  sha256: string | null
  engine: DatabaseEngine
  version: string
  /** The dump tool's and the uploader's versions. */
  tools: Record<string, string>
  /** SQL engines: rows per table at dump time; others: keys or documents per database. */
  counts: Record<string, number> | null
  /** The last restore drill of this backup. */
  drill: RestoreDrill | null
  /** Why it failed (state `failed` or `corrupt`). */
  error: { code: string; message: string } | null
}

export interface RestoreDrill {
  at: string
  ok: boolean
  /** Per table (or keyspace): the manifest's count and the restored one. */
  counts: { table: string; expected: number; actual: number }[]
}

const restoreInput = z.strictObject({
  name: text,
  /** A backup id, or `latest` (the newest verified one). */
  from: text,
  /** The new database's name; default `NAME-restored-<backup time>`. */
  into: text.optional(),
  /** Replace NAME's data; a fresh backup of it is taken first. Excludes `into`. */
  inPlace: z.boolean().optional(),
})
export type RestoreInput = z.infer<typeof restoreInput>

export interface RestoreResult {
  /** The database the backup went into. */
  database: string
  backup: string
  /** In place: the backup taken of the data it replaced. */
  safetyBackup: string | null
  counts: RestoreDrill['counts']
}

/** An S3-compatible bucket backups go to. Its secret key is in the keychain and, once used, in a 0600 file on the server. */
export interface BackupTarget {
  name: string
  endpoint: string
  bucket: string
  region: string | null
  prefix: string | null
  accessKeyId: string
  /** Servers that hold its credentials file (it was used there). */
  servers: string[]
  createdAt: string
}

const addTargetInput = z.strictObject({
  name: text,
  endpoint: text,
  bucket: text,
  region: text.optional(),
  prefix: text.optional(),
  accessKeyId: text,
  secretAccessKey: text,
})
export type AddBackupTargetInput = z.infer<typeof addTargetInput>

/** Backing up now and reading the backups (core/backups). */
export const backupsContract = {
  /** Backs up now; resolves once the stored object is read back and verified (else fails). */
  'databases:backup': call(z.strictObject({ name: text, to: text.optional() })).returns<BackupInfo>(),
  /** Backups in the target's bucket, newest first. */
  'databases:backups': call(z.strictObject({ name: text, target: text.optional() })).returns<BackupInfo[]>(),
  /** Reads the stored object back and compares its hash with the manifest; a mismatch marks it `corrupt`. */
  'databases:verify': call(z.strictObject({ name: text, backup: text })).returns<BackupInfo>(),
  /** Deletes the backups retention does not keep (grandfather-father-son, from the bucket's manifests). */
  'databases:prune': call(
    z.strictObject({
      name: text,
      to: text.optional(),
      keepDaily: z.int().min(0).max(1000),
      keepWeekly: z.int().min(0).max(1000),
      keepMonthly: z.int().min(0).max(1000),
    }),
  ).returns<{ kept: number; deleted: number }>(),
  'backups:targets': call(noInput).returns<BackupTarget[]>(),
  'backups:addTarget': call(addTargetInput).returns<BackupTarget>(),
  /** Deletes its keychain entry and its credentials file on every server that holds one. */
  'backups:removeTarget': call(byName).returns<{ unreachable: string[] }>(),
} as const

/** Proving and using backups (core/backups). */
export const restoresContract = {
  /** Restores a backup into a scratch container, compares counts with its manifest, removes the scratch. */
  'databases:drill': call(z.strictObject({ name: text, backup: text })).returns<RestoreDrill>(),
  'databases:restore': call(restoreInput).returns<RestoreResult>(),
} as const

/** Backups the server runs by itself (remote-scripts/backup-agent.sh). */
export const schedulesContract = {
  'databases:schedule': call(scheduleInput).returns<BackupSchedule>(),
  'databases:unschedule': call(byName).returns<void>(),
} as const

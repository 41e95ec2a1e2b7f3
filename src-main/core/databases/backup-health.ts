import type { BackupHealth, BackupSchedule } from '../../api/databases'
import type { BackupRun, DrillRun } from './database-records'

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const

/** `30m`, `6h`, `1d` in milliseconds; null when it is not such an interval. */
export function intervalMs(every: string): number | null {
  const match = /^([1-9][0-9]{0,4})([mhd])$/.exec(every)
  return match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : null
}

/**
 * The schedule file's `KEY=value` lines as the API shows them. Its keys are BackupSchedule's fields
 * in snake case (`every`, `at`, `target`, `keep_daily`, `keep_weekly`, `keep_monthly`, `drill_every`,
 * `webhook`); null when there is no schedule or it names no interval.
 */
export function readSchedule(lines: Record<string, string> | null): BackupSchedule | null {
  if (!lines?.every) return null
  const count = (key: string) => Number(lines[key] ?? 0) || 0
  return {
    every: lines.every,
    at: lines.at || null,
    target: lines.target ?? '',
    keep: { daily: count('keep_daily'), weekly: count('keep_weekly'), monthly: count('keep_monthly') },
    drillEvery: lines.drill_every || null,
    webhook: lines.webhook || null,
  }
}

const byId =
  <T>(key: (item: T) => string) =>
  (a: T, b: T) =>
    key(a).localeCompare(key(b))

/**
 * The last good backup, the last verified restore and the last failure, from the server's records of
 * backup runs and drills (ids and names sort by time); stale: a schedule exists and the last good
 * backup is older than 1.5 times its interval, or there is none.
 */
export function backupHealth(
  backups: readonly BackupRun[],
  drills: readonly DrillRun[],
  schedule: BackupSchedule | null,
  now = Date.now(),
): BackupHealth {
  const finished = backups.filter((b) => b.state !== 'running').sort(byId((b) => b.id))
  const good = finished.filter((b) => b.state === 'verified').at(-1)
  const newest = finished.at(-1)
  const drill = drills
    .filter((d) => d.ok)
    .sort(byId((d) => d.at))
    .at(-1)
  const interval = schedule ? intervalMs(schedule.every) : null
  const stale = interval !== null && (good === undefined || now - Date.parse(good.at) > 1.5 * interval)
  return {
    lastGood: good ? { id: good.id, at: good.at, target: good.target } : null,
    lastVerifiedRestore: drill ? { backup: drill.backup, at: drill.at } : null,
    lastFailure:
      newest && newest.state !== 'verified'
        ? {
            at: newest.at,
            code: newest.error?.code ?? (newest.state === 'corrupt' ? 'BACKUP_CORRUPT' : 'BACKUP_FAILED'),
            message: newest.error?.message ?? `Backup ${newest.id} is ${newest.state}.`,
          }
        : null,
    stale,
  }
}

import type { ScheduleInput } from '../../api/backups'
import type { BackupSchedule } from '../../api/databases'
import { invalidOption } from '../errors'
import { PATTERNS, whole } from '../rules/patterns'

/** How often a scheduled backup is restore-drilled when the schedule does not say. */
export const DEFAULT_DRILL_EVERY = '7d'

const INTERVAL = whole(PATTERNS.interval)
const CLOCK_TIME = whole(PATTERNS.clockTime)
const WEBHOOK_URL = whole(PATTERNS.webhookUrl)

const interval = (value: string, field: string, what: string): string => {
  if (!INTERVAL.test(value)) {
    throw invalidOption(what, value, 'a number followed by m, h or d: 30m, 6h, 1d (at least 1m)', field)
  }
  return value
}

/**
 * A schedule as the user gave it, checked: `every` minutes, hours or days (the shortest is 1m, for
 * tests and the impatient; a backup that takes longer than its interval simply runs back to back),
 * `at` only with days, `drillEvery` an interval or `off`, `webhook` an http(s) URL. The server's
 * script checks each value again.
 */
export function parseSchedule(input: ScheduleInput): BackupSchedule {
  const every = interval(input.every, 'every', 'backup interval')
  if (input.at !== undefined) {
    if (!CLOCK_TIME.test(input.at))
      throw invalidOption('time of day', input.at, 'HH:MM, 24-hour (03:00)', 'at')
    if (!every.endsWith('d')) {
      throw invalidOption(
        'time of day',
        input.at,
        `no --at with ${every}: --at needs an interval in days (1d)`,
        'at',
      )
    }
  }
  const drill = input.drillEvery === undefined ? DEFAULT_DRILL_EVERY : input.drillEvery
  const drillEvery =
    drill === null || drill === 'off' ? null : interval(drill, 'drillEvery', 'drill interval')
  const webhook = input.webhook ?? null
  if (webhook !== null && !WEBHOOK_URL.test(webhook)) {
    throw invalidOption('webhook', webhook, 'an http:// or https:// URL with no spaces or quotes', 'webhook')
  }
  return {
    every,
    at: input.at ?? null,
    target: input.to,
    keep: { daily: input.keepDaily, weekly: input.keepWeekly, monthly: input.keepMonthly },
    drillEvery,
    webhook,
  }
}

/** The db.schedule operation's options for `schedule`. */
export function scheduleOptions(prefix: string, database: string, schedule: BackupSchedule) {
  return {
    prefix,
    database,
    action: 'set' as const,
    every: schedule.every,
    at: schedule.at ?? undefined,
    target: schedule.target,
    keepDaily: schedule.keep.daily,
    keepWeekly: schedule.keep.weekly,
    keepMonthly: schedule.keep.monthly,
    drillEvery: schedule.drillEvery ?? 'off',
    webhook: schedule.webhook ?? undefined,
  }
}

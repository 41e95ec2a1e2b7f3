/** How databases and their backups read to people. Pure functions. */
import type { BackupHealth, BackupState, DatabaseEngine, DatabaseState } from '../../../src-main/api/contract'
import { timeAgo } from '../apps/app-format'

export const ENGINE_LABELS: Record<DatabaseEngine, string> = {
  postgres: 'PostgreSQL',
  mysql: 'MySQL',
  mariadb: 'MariaDB',
  redis: 'Redis',
  mongodb: 'MongoDB',
}

/** "PostgreSQL 15". */
export const describeEngine = ({ engine, version }: { engine: DatabaseEngine; version: string }): string =>
  `${ENGINE_LABELS[engine]} ${version}`

export const STATE_LABELS: Record<DatabaseState, string> = {
  running: 'Running',
  restarting: 'Restarting',
  exited: 'Stopped',
  missing: 'Missing',
  unknown: 'Unknown',
}

/** The status pill's look for each state (the apps' pill classes). */
export const STATE_PILLS: Record<DatabaseState, string> = {
  running: 'pill-live',
  restarting: 'pill-deploying',
  exited: 'pill-failed',
  missing: 'pill-failed',
  unknown: '',
}

export const BACKUP_BADGES: Record<BackupState, string> = {
  running: 'badge-running',
  verified: 'badge-done',
  failed: 'badge-failed',
  corrupt: 'badge-failed',
}

export type HealthTone = 'success' | 'warning' | 'danger' | 'none'

/** The backup health in a few words and a tone: what the list and the page show first. */
export function describeHealth(health: BackupHealth): { text: string; tone: HealthTone } {
  const { lastGood, lastFailure, stale } = health
  if (lastFailure && (!lastGood || lastFailure.at > lastGood.at)) {
    return { text: `Last backup failed ${timeAgo(lastFailure.at)}`, tone: 'danger' }
  }
  if (stale) {
    return {
      text: lastGood ? `Stale: last good backup ${timeAgo(lastGood.at)}` : 'Stale: no good backup yet',
      tone: 'warning',
    }
  }
  if (lastGood) return { text: `Backed up ${timeAgo(lastGood.at)}`, tone: 'success' }
  return { text: 'No backup yet', tone: 'none' }
}

/** A connection URL with its password replaced by dots (the core masks `url` already; the tunnel's has it). */
export function maskUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@]*@/i, '$1••••••••@')
}

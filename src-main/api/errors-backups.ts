/** The error codes of backups (core/backups, remote-scripts/db-backup.sh and its siblings): part of ./errors.ts. */
import type { RaisedBy } from './error-raisers'

/** The methods about one database's backups. */
export const BACKED_UP = [
  'databases:backup',
  'databases:backups',
  'databases:verify',
  'databases:prune',
] as const

export const BACKUP_ERRORS = {
  DATABASE_BUSY: {
    means: 'Another backup, restore or link change of the database still runs: wait for it, then try again.',
    raisedBy: ['databases:backup', 'databases:restore', 'databases:link', 'databases:unlink'],
  },
  BACKUP_TARGET_NOT_FOUND: {
    means:
      'No backup target by that name (here, or its settings file on the database’s server): see `helvetia backup target list`, or back up to it once.',
    raisedBy: [...BACKED_UP, 'backups:removeTarget', 'databases:schedule'],
  },
  BACKUP_TARGET_EXISTS: {
    means: 'A backup target by that name exists: pick another.',
    raisedBy: ['backups:addTarget'],
  },
  BACKUP_TARGET_NEEDED: {
    means: 'No target was named and there is not exactly one (nor a schedule’s): name one with --to.',
    raisedBy: BACKED_UP,
  },
  BACKUP_TARGET_MISSING: {
    means: 'The server lost the target’s settings file; Helvetia installs it again by itself once.',
    raisedBy: BACKED_UP,
  },
  BACKUP_ENGINE_UNSUPPORTED: {
    means: 'Backups of this engine are not supported yet.',
    raisedBy: ['databases:backup'],
  },
  BACKUP_DUMP_FAILED: {
    means:
      'The engine’s dump failed (database down, credentials changed): nothing was kept; the message says why.',
    raisedBy: ['databases:backup'],
  },
  BACKUP_UPLOAD_FAILED: {
    means:
      'The upload to the bucket failed (storage unreachable, key refused, bucket missing): nothing was kept.',
    raisedBy: ['databases:backup'],
  },
  BACKUP_VERIFY_FAILED: {
    means: 'The stored backup could not be read back or differs from what was sent: it was deleted.',
    raisedBy: ['databases:backup', 'databases:verify'],
  },
  BACKUP_CORRUPT: {
    means:
      'The stored backup no longer matches its manifest: it is flagged corrupt and not restored; take a new one.',
    raisedBy: ['databases:verify', 'databases:drill', 'databases:restore'],
  },
  BACKUP_NOT_FOUND: {
    means: 'No backup by that id (or no verified one, for `latest`): see `helvetia db backups NAME`.',
    raisedBy: ['databases:verify', 'databases:drill', 'databases:restore'],
  },
  BACKUP_LIST_FAILED: {
    means: 'The bucket could not be listed (storage unreachable, key refused).',
    raisedBy: ['databases:backups', 'databases:prune'],
  },
  BACKUP_DELETE_FAILED: {
    means: 'Retention could not delete expired backups.',
    raisedBy: ['databases:prune'],
  },
} as const satisfies Record<string, { means: string; raisedBy: readonly RaisedBy[] }>

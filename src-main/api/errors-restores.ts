/**
 * The error catalogue's codes of restores and drills (remote-scripts/db-drill.sh, db-restore.sh,
 * core/backups/restores.ts), spread into ./errors.ts.
 */
import type { RaisedBy } from './error-raisers'

export const RESTORE_ERRORS = {
  BACKUP_NOT_VERIFIED: {
    means: 'That backup failed or is corrupt, so it is not restored: pick a verified one.',
    raisedBy: ['databases:drill', 'databases:restore'],
  },
  BACKUP_UNREADABLE: {
    means:
      'The backup or its manifest could not be read from its target: check the target and that the backup is still in its bucket.',
    raisedBy: ['databases:drill', 'databases:restore'],
  },
  RESTORE_FAILED: {
    means:
      'The engine refused the backup (the message has its last lines), or the restored data could not be counted.',
    raisedBy: ['databases:restore'],
  },
  RESTORE_COUNTS_DIFFER: {
    means:
      'The restore ran, but the restored rows (or keys) per table differ from the manifest’s: drill the backup and try an older one.',
    raisedBy: ['databases:restore'],
  },
  DATABASE_NOT_READY: {
    means:
      'The database (or a drill’s scratch container) did not accept connections: see its container’s log.',
    raisedBy: ['databases:drill', 'databases:restore'],
  },
  DATABASE_NOT_EMPTY: {
    means:
      'The database to restore into holds data: restore into a new database, or replace its data with --in-place.',
    raisedBy: ['databases:restore'],
  },
  ENGINE_MISMATCH: {
    means:
      'The backup is of another engine than the database to restore into: restore it into a new database.',
    raisedBy: ['databases:restore'],
  },
  ENGINE_NOT_SUPPORTED: {
    means: 'Helvetia cannot restore that engine yet (MongoDB).',
    raisedBy: ['databases:drill', 'databases:restore'],
  },
  SAFETY_BACKUP_FAILED: {
    means:
      'An in-place restore takes a backup of the data it replaces first; that backup failed, so nothing was restored.',
    raisedBy: ['databases:restore'],
  },
} as const satisfies Record<string, { means: string; raisedBy: readonly RaisedBy[] }>

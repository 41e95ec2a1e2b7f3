/**
 * The error catalogue's codes of restores and drills (remote-scripts/db-drill.sh, db-restore.sh,
 * core/backups/restores.ts), spread into ./errors.ts. Their `raisedBy` gets databases:drill and
 * databases:restore once the restores contract is spread into the API (it needs the databases service).
 */
import type { RaisedBy } from './error-raisers'

export const RESTORE_ERRORS = {
  BACKUP_NOT_FOUND: {
    means:
      'The database has no such backup (or no verified one, for `latest`) on this server: see `helvetia db backups NAME`.',
    raisedBy: [],
  },
  BACKUP_NOT_VERIFIED: {
    means: 'That backup failed or is corrupt, so it is not restored: pick a verified one.',
    raisedBy: [],
  },
  BACKUP_UNREADABLE: {
    means:
      'The backup or its manifest could not be read from its target: check the target and that the backup is still in its bucket.',
    raisedBy: [],
  },
  BACKUP_CORRUPT: {
    means:
      'The stored backup’s sha256 differs from its manifest’s: it is not restored. Restore another backup and take a new one.',
    raisedBy: [],
  },
  RESTORE_FAILED: {
    means:
      'The engine refused the backup (the message has its last lines), or the restored data could not be counted.',
    raisedBy: [],
  },
  RESTORE_COUNTS_DIFFER: {
    means:
      'The restore ran, but the restored rows (or keys) per table differ from the manifest’s: drill the backup and try an older one.',
    raisedBy: [],
  },
  DATABASE_NOT_READY: {
    means:
      'The database (or a drill’s scratch container) did not accept connections: see its container’s log.',
    raisedBy: [],
  },
  DATABASE_NOT_EMPTY: {
    means:
      'The database to restore into holds data: restore into a new database, or replace its data with --in-place.',
    raisedBy: [],
  },
  ENGINE_MISMATCH: {
    means:
      'The backup is of another engine than the database to restore into: restore it into a new database.',
    raisedBy: [],
  },
  ENGINE_NOT_SUPPORTED: { means: 'Helvetia cannot restore that engine yet (MongoDB).', raisedBy: [] },
  SAFETY_BACKUP_FAILED: {
    means:
      'An in-place restore takes a backup of the data it replaces first; that backup failed, so nothing was restored.',
    raisedBy: [],
  },
} as const satisfies Record<string, { means: string; raisedBy: readonly RaisedBy[] }>

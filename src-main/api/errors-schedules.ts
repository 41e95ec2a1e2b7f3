/**
 * The error catalogue's codes of scheduled backups (remote-scripts/db-schedule.sh and the backup
 * agent it starts, core/databases/backup-schedules.ts), spread into ./errors.ts.
 */
import type { RaisedBy } from './error-raisers'

export const SCHEDULE_ERRORS = {
  BACKUP_TARGET_NOT_FOUND: {
    means:
      'The backup target has no settings file on the database’s server, so its backup agent could not back up to it: add the target (helvetia backup target add) or back up to it once.',
    raisedBy: ['databases:schedule'],
  },
  AGENT_FAILED: {
    means:
      'The server’s backup agent did not start; its log on the server says why (~/.helvetia/databases/agent.log).',
    raisedBy: ['databases:schedule'],
  },
} as const satisfies Record<string, { means: string; raisedBy: readonly RaisedBy[] }>

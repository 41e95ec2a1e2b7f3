/**
 * The error catalogue's codes of scheduled backups (remote-scripts/db-schedule.sh and the backup
 * agent it starts, core/databases/backup-schedules.ts), spread into ./errors.ts.
 */
import type { RaisedBy } from './error-raisers'

export const SCHEDULE_ERRORS = {
  AGENT_FAILED: {
    means:
      'The server’s backup agent did not start; its log on the server says why (~/.helvetia/databases/agent.log).',
    raisedBy: ['databases:schedule'],
  },
} as const satisfies Record<string, { means: string; raisedBy: readonly RaisedBy[] }>

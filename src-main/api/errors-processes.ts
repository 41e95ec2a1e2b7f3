/**
 * The error catalogue's codes of process types (web and workers) and scheduled jobs, spread into
 * ./errors.ts.
 */
import type { RaisedBy } from './error-raisers'

const DEPLOYS: readonly RaisedBy[] = ['apps:deploy', 'apps:rollback']
const JOB: readonly RaisedBy[] = ['jobs:remove', 'jobs:runs', 'jobs:run-log', 'jobs:run']

export const PROCESS_ERRORS = {
  WORKER_FAILED: {
    means:
      'A worker of the new version stopped (or restarted) within its first seconds: the deployment failed before the switch, its last lines are in the error, and the previous version (web and workers) runs on.',
    raisedBy: DEPLOYS,
  },
  WORKER_START_FAILED: {
    means: 'Docker refused to start a worker container (its message says why); the previous version runs on.',
    raisedBy: DEPLOYS,
  },
  PROCFILE_INVALID: {
    means:
      'A line of the source’s Procfile is not `name: command` (a name of lowercase letters, digits and dashes): fix it, or set the processes in the app’s settings.',
    raisedBy: ['apps:deploy'],
  },
  PROCESSES_INVALID: {
    means:
      'A process type the server got is not valid (a name twice, a worker without a command): set them again.',
    raisedBy: DEPLOYS,
  },
  PROCESS_NOT_FOUND: {
    means: 'The app runs (or has) no process type by that name: see them with `helvetia ps APP`.',
    raisedBy: ['apps:logs', 'cli'],
  },
  JOB_NOT_FOUND: {
    means: 'The app has no scheduled job by that name: see `helvetia jobs APP`.',
    raisedBy: JOB,
  },
  JOB_RUN_NOT_FOUND: {
    means: 'The job has no kept run by that id (the last 20 are kept): see `helvetia job runs APP JOB`.',
    raisedBy: ['jobs:run-log'],
  },
  JOB_BUSY: {
    means: 'The job’s previous run still runs: a job never runs twice at once. Wait for it to finish.',
    raisedBy: ['jobs:run'],
  },
} as const satisfies Record<string, { means: string; raisedBy: readonly RaisedBy[] }>

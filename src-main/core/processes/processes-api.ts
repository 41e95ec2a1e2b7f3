import type { HandlersOf } from '../../api/contract'
import type { Processes } from './processes'

/** The processes and jobs methods of the API (api/processes.ts), over the core's processes service. */
export function processesApi(processes: Processes): HandlersOf<'processes' | 'jobs'> {
  return {
    'processes:list': ({ name }) => processes.processes(name),
    'jobs:add': (input) => processes.addJob(input),
    'jobs:list': ({ app }) => processes.listJobs(app),
    'jobs:remove': ({ app, name }) => processes.removeJob(app, name),
    'jobs:runs': ({ app, name }) => processes.runs(app, name),
    'jobs:run-log': async ({ app, name, run }) => ({ log: await processes.runLog(app, name, run) }),
    'jobs:run': ({ app, name }) => processes.runJob(app, name),
  }
}

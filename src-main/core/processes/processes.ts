import type { Job, JobRun, ProcessStatus } from '../../api/processes'
import { invalidOption, UserError } from '../errors'
import type { ScriptRunner } from '../remote/script-runner'
import { nextCronRun, parseCron } from '../rules/cron'
import { PATTERNS, whole } from '../rules/patterns'
import type { AppRecord } from '../store/app-store'
import type { ServerRecord } from '../store/server-store'
import type { Target } from '../targets/target'
import { processCommand } from './process-types'

export interface ProcessesDeps {
  apps: { record(name: string): AppRecord }
  servers: { byId(id: string): ServerRecord | null; targetFor(server: ServerRecord): Target }
  scripts: ScriptRunner
  /** Names what Helvetia creates on servers (default `helvetia`). */
  prefix?: string
}

const JOB_NAME = whole(PATTERNS.jobName)
const JOB_RUN_ID = whole(PATTERNS.jobRunId)

/**
 * An app's process types as they run, and its scheduled jobs. The server is the record of both: the
 * live deployment's processes (remote-scripts/lib/deploy-processes.sh) and the jobs under the app's
 * folder there, run by the server's job agent with no desktop connected (remote-scripts/lib/jobs.sh).
 */
export function createProcesses(deps: ProcessesDeps) {
  const { scripts } = deps
  const prefix = deps.prefix ?? 'helvetia'

  const on = (name: string): { target: Target; app: string } => {
    const app = deps.apps.record(name)
    const server = deps.servers.byId(app.serverId)
    if (!server) {
      throw new UserError(
        'SERVER_NOT_FOUND',
        `The server of ${name} was removed.`,
        'Remove the app, or add the server again.',
      )
    }
    return { target: deps.servers.targetFor(server), app: app.name }
  }

  const jobName = (value: string): string => {
    if (!JOB_NAME.test(value)) {
      throw invalidOption('job name', value, 'lowercase letters, digits and dashes (at most 40)', 'name')
    }
    return value
  }

  const list = async (name: string): Promise<Job[]> => {
    const { target, app } = on(name)
    const { lines } = await scripts.call(target, 'jobs.list', { prefix, app })
    const offset = parseOffset(lines.find((line) => line.startsWith('offset '))?.slice(7) ?? '+0000')
    return lines
      .filter((line) => line.startsWith('{'))
      .map((line) => {
        const [record = '{}', last = '-'] = line.split('\t')
        const job = JSON.parse(record) as Record<string, string>
        const cron = parseCron(job.cron ?? '')
        return {
          app,
          name: job.name ?? '',
          cron: job.cron ?? '',
          command: job.command ?? '',
          lastRun: last === '-' ? null : parseRun(last),
          nextRunAt:
            typeof cron === 'string' ? null : (nextCronRun(cron, Date.now(), offset)?.toISOString() ?? null),
        }
      })
  }

  const runs = async (name: string, job: string): Promise<JobRun[]> => {
    const { target, app } = on(name)
    const { lines } = await scripts.call(target, 'jobs.runs', { prefix, app, job: jobName(job) })
    return lines.filter((line) => line.startsWith('{')).map(parseRun)
  }

  return {
    /** The live deployment's process types, each with its containers and how many of them run. */
    async processes(name: string): Promise<ProcessStatus[]> {
      const { target, app } = on(name)
      const { lines } = await scripts.call(target, 'processes.list', { prefix, app })
      return lines
        .filter((line) => line.includes('\t'))
        .map((line) => {
          const [processName = '', replicas = '1', running = '0', containers = '', command = ''] =
            line.split('\t')
          return {
            name: processName,
            command: command === '' ? null : command,
            replicas: Number(replicas),
            running: Number(running),
            containers: containers.split(' ').filter(Boolean),
          }
        })
    },

    /** Adds (or replaces) a job; the server's agent runs it from then on. */
    async addJob(input: { app: string; name: string; cron: string; command: string }): Promise<Job> {
      const job = jobName(input.name)
      const cron = parseCron(input.cron)
      if (typeof cron === 'string') {
        throw new UserError(
          'INVALID_OPTION',
          `Invalid cron expression: ${JSON.stringify(input.cron)} (${cron}).`,
          'Expected five fields, like "0 3 * * *" (03:00 every day, server time).',
          { field: 'cron' },
        )
      }
      const command = processCommand(input.command, 'command', 'command')
      const { target, app } = on(input.app)
      await scripts.call(
        target,
        'jobs.add',
        { prefix, app, job, cron: input.cron.trim().replace(/ +/g, ' ') },
        { stdin: command },
      )
      const added = (await list(app)).find((j) => j.name === job)
      if (!added) throw new Error(`The job ${job} is not on the server after it was added`)
      return added
    },

    listJobs: list,

    async removeJob(name: string, job: string): Promise<void> {
      const { target, app } = on(name)
      await scripts.call(target, 'jobs.remove', { prefix, app, job: jobName(job) })
    },

    runs,

    /** One run's log, masked on the server when it was written. */
    async runLog(name: string, job: string, run: string): Promise<string> {
      if (!JOB_RUN_ID.test(run))
        throw invalidOption('run id', run, 'a run id, as `helvetia job runs` shows it', 'run')
      const { target, app } = on(name)
      return (await scripts.call(target, 'jobs.log', { prefix, app, job: jobName(job), run })).stdout
    },

    /** Runs the job now on the server; resolves with the finished run (failed or not). */
    async runJob(name: string, job: string): Promise<JobRun> {
      const { target, app } = on(name)
      const { facts } = await scripts.call(target, 'jobs.run', { prefix, app, job: jobName(job) })
      const run = (await runs(app, job)).find((r) => r.id === facts.run)
      if (!run) throw new Error(`The run ${facts.run ?? '?'} of ${job} is not recorded on the server`)
      return run
    },
  }
}

export type Processes = ReturnType<typeof createProcesses>

/** `+HHMM` / `-HHMM` (date +%z) in minutes. */
function parseOffset(text: string): number {
  const match = /^([+-])(\d\d)(\d\d)$/.exec(text.trim())
  if (!match) return 0
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]))
}

/** A run's meta.json (every value a string: remote-scripts/job-run.sh). */
function parseRun(line: string): JobRun {
  const run = JSON.parse(line) as Record<string, string | undefined>
  const number = (value: string | undefined) => (value === undefined || value === '' ? null : Number(value))
  const state = run.state === 'succeeded' || run.state === 'failed' ? run.state : 'running'
  return {
    id: run.id ?? '',
    job: run.job ?? '',
    startedAt: run.started_at ?? '',
    finishedAt: run.finished_at ?? null,
    exitCode: state === 'running' ? null : number(run.exit_code),
    durationMs: number(run.duration_ms),
    state,
  }
}

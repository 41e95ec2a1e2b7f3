/**
 * More than one process per app: process types run from the app's image (a routed `web`, unrouted
 * workers), and scheduled jobs the server runs by itself. Types, plain data and input schemas only.
 */
import { z } from 'zod'
import { call, text } from './spec'

/** A process type (AppInput.processes). `web` is the one the proxy routes to; any other name is a worker. */
export interface ProcessType {
  name: string
  /** sh -c COMMAND in a container of the app's image; absent: the image's own command (web only). */
  command?: string
  replicas?: number
  memory?: string
  cpus?: number
}

/** A process type as it runs now. */
export interface ProcessStatus {
  name: string
  command: string | null
  replicas: number
  running: number
  containers: string[]
}

/** A scheduled job: `sh -c COMMAND` in a container of the app's live image, run by the server. */
export interface Job {
  app: string
  name: string
  /** Five cron fields, in the server's time. */
  cron: string
  command: string
  /** The newest run, or null before the first. */
  lastRun: JobRun | null
  nextRunAt: string | null
}

export interface JobRun {
  id: string
  job: string
  startedAt: string
  finishedAt: string | null
  /** Null while it runs. */
  exitCode: number | null
  durationMs: number | null
  state: 'running' | 'succeeded' | 'failed'
}

const jobRef = z.strictObject({ app: text, name: text })

export const processesContract = {
  'processes:list': call(z.strictObject({ name: text })).returns<ProcessStatus[]>(),
  'jobs:add': call(z.strictObject({ app: text, name: text, cron: text, command: text })).returns<Job>(),
  'jobs:list': call(z.strictObject({ app: text })).returns<Job[]>(),
  'jobs:remove': call(jobRef).returns<void>(),
  /** The job's kept runs, newest first. */
  'jobs:runs': call(jobRef).returns<JobRun[]>(),
  /** One run's log (secrets masked). */
  'jobs:run-log': call(z.strictObject({ app: text, name: text, run: text })).returns<{ log: string }>(),
  /** Runs the job now, on the server, and returns the run once it has finished. */
  'jobs:run': call(jobRef).returns<JobRun>(),
} as const

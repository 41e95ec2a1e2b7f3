/**
 * The first-run checklist, derived from real data only: the servers and apps the core lists, the
 * apps' statuses read from their servers, and the work this window started (connecting, provisioning,
 * deploying) with its live progress. Pure, so it is tested without a browser.
 */
import type { AppStatus, AppSummary, ServerSummary } from '../../../src-main/api/contract'
import type { DeployRun } from '../apps/apps-store'
import type { ProvisionRun } from '../servers/provision/provision-store'
import type { Task } from '../ui/task'

export type StepId = 'connect' | 'provision' | 'create' | 'deploy'
export type StepState = 'waiting' | 'running' | 'done' | 'failed'

export interface ChecklistStep {
  state: StepState
  /** What it is at now, in a sentence: the live step while running, the reason when failed. */
  detail: string
}

export interface ChecklistInput {
  servers: readonly ServerSummary[] | null
  apps: readonly AppSummary[] | null
  statuses: Readonly<Record<string, Task<AppStatus>>>
  deployRuns: Readonly<Record<string, DeployRun>>
  /** By server id. */
  provisionRuns: Readonly<Record<string, ProvisionRun>>
  /** The connect wizard's saving of a server. */
  connecting: Task<ServerSummary> | null
}

export interface Checklist {
  /** Until the server and app lists first arrive nothing can be said. */
  loading: boolean
  /** The server the guide works with: the first app's, else a provisioned one, else the newest. */
  server: ServerSummary | null
  /** The app the guide works with: a live one, else one deploying, else the first. */
  app: AppSummary | null
  /** The live app's status, once one is live. */
  live: AppStatus | null
  steps: Record<StepId, ChecklistStep>
  /** The first step not done yet; null when all are. */
  current: StepId | null
  doneCount: number
}

export const STEP_IDS: readonly StepId[] = ['connect', 'provision', 'create', 'deploy']

const lastStepMessage = (steps: readonly { message: string }[], fallback: string): string =>
  steps.at(-1)?.message ?? fallback

export function checklist(input: ChecklistInput): Checklist {
  const servers = input.servers ?? []
  const apps = input.apps ?? []
  const statusOf = (name: string): AppStatus | null => {
    const task = input.statuses[name]
    return task?.status === 'done' ? task.value : null
  }
  const live = apps.map((app) => statusOf(app.name)).find((status) => status?.live) ?? null
  const app =
    live?.app ??
    apps.find((candidate) => input.deployRuns[candidate.name]?.status === 'running') ??
    apps[0] ??
    null
  const server =
    servers.find((candidate) => candidate.name === app?.server) ??
    servers.find(
      (candidate) => candidate.proxy !== null || input.provisionRuns[candidate.id]?.status === 'done',
    ) ??
    servers.at(-1) ??
    null

  const steps: Record<StepId, ChecklistStep> = {
    connect: connectStep(servers, input.connecting),
    provision: provisionStep(server, server && input.provisionRuns[server.id], live !== null),
    create: app
      ? { state: 'done', detail: `${app.name} on ${app.server}.` }
      : {
          state: 'waiting',
          detail: 'From a folder with a Dockerfile, or from a GitHub repository.',
        },
    deploy: deployStep(app, app && statusOf(app.name), app && input.deployRuns[app.name], live),
  }
  const current = STEP_IDS.find((id) => steps[id].state !== 'done') ?? null
  return {
    loading: input.servers === null || input.apps === null,
    server,
    app,
    live,
    steps,
    current,
    doneCount: STEP_IDS.filter((id) => steps[id].state === 'done').length,
  }
}

function connectStep(
  servers: readonly ServerSummary[],
  connecting: Task<ServerSummary> | null,
): ChecklistStep {
  const newest = servers.at(-1)
  if (newest) {
    const more = servers.length > 1 ? ` and ${servers.length - 1} more` : ''
    return { state: 'done', detail: `${newest.name}${more} connected.` }
  }
  if (connecting?.status === 'running') return { state: 'running', detail: 'Connecting and logging in…' }
  if (connecting?.status === 'failed') return { state: 'failed', detail: connecting.failure.message }
  return {
    state: 'waiting',
    detail: 'A Linux server you reach over SSH, or this computer with its own Docker.',
  }
}

function provisionStep(
  server: ServerSummary | null,
  run: ProvisionRun | null | undefined,
  appLive: boolean,
): ChecklistStep {
  if (!server) return { state: 'waiting', detail: 'Once a server is connected.' }
  if (run?.status === 'running')
    return { state: 'running', detail: lastStepMessage(run.steps, 'Connecting…') }
  const ready: ChecklistStep = {
    state: 'done',
    detail: `Docker and the reverse proxy are ready on ${server.name}.`,
  }
  // A live app proves Docker and the proxy are there, whoever installed them.
  if (run?.status === 'done' || appLive) return ready
  if (run?.status === 'failed') {
    return { state: 'failed', detail: run.failure?.message ?? `Provisioning ${server.name} failed.` }
  }
  // The proxy as read from the server: provisioned from another window, computer or the CLI.
  if (server.proxy !== null) return ready
  return {
    state: 'waiting',
    detail: `Installs Docker and a reverse proxy on ${server.name}. Safe to run again: it changes only what is missing.`,
  }
}

function deployStep(
  app: AppSummary | null,
  status: AppStatus | null,
  run: DeployRun | null | undefined,
  live: AppStatus | null,
): ChecklistStep {
  if (live) return { state: 'done', detail: `${live.app.name} is live.` }
  if (!app) return { state: 'waiting', detail: 'Once an app is created.' }
  if (run?.status === 'running') {
    return { state: 'running', detail: lastStepMessage(run.steps, 'Starting the deploy…') }
  }
  if (run?.deployment?.status === 'succeeded') return { state: 'done', detail: `${app.name} is live.` }
  const latest = status?.latest
  if (latest?.status === 'running' || latest?.status === 'queued') {
    return { state: 'running', detail: `Deployment ${latest.id} is running.` }
  }
  if (run?.status === 'failed' && run.failure) return { state: 'failed', detail: run.failure.message }
  const failed = run?.deployment?.status === 'failed' ? run.deployment : latest
  if (failed?.status === 'failed') {
    return { state: 'failed', detail: failed.error?.message ?? `Deployment ${failed.id} failed.` }
  }
  return { state: 'waiting', detail: `Builds ${app.name} on ${app.server} and puts it behind the proxy.` }
}

import { create } from 'zustand'
import type { Subscription } from '../../../src-main/api/client'
import type {
  AppHistory,
  AppStatus,
  AppSummary,
  CreateAppInput,
  Deployment,
  DeployProgress,
  VolumesChoice,
} from '../../../src-main/api/contract'
import { api, useSession } from '../session-store'
import { runTask, toFailure, type Failure, type Task } from '../ui/task'

type StepStatus = Extract<DeployProgress, { type: 'step' }>['status']

export interface DeployStep {
  step: string
  status: StepStatus
  message: string
  code: string | null
}

/**
 * A deploy, rollback or catalogue upgrade started from this window; it runs on (on the server too)
 * while the user looks elsewhere.
 */
export interface DeployRun {
  kind: 'deploy' | 'rollback' | 'upgrade'
  status: 'running' | 'done' | 'stopped' | 'failed'
  /** The deployment's id, once the server has started it. */
  id: string | null
  steps: DeployStep[]
  uploaded: Extract<DeployProgress, { type: 'uploaded' }> | null
  /** The record it ended with: succeeded or failed, the reason and the new container's last lines. */
  deployment: Deployment | null
  /** Why no deployment could start or be followed (the core's message and hint). */
  failure: Failure | null
}

interface AppsState {
  /** Null until the first list arrives. */
  apps: AppSummary[] | null
  /** The latest status of each app, by name: read from its server, refreshed whenever the apps change. */
  statuses: Record<string, Task<AppStatus>>
  /** Each app's deployments as its server records them, by name: read when a page needs them. */
  histories: Record<string, Task<AppHistory>>
  /** The latest deploy or rollback of each app started in this window, by name. */
  runs: Record<string, DeployRun>
  /** Follows the app list live (and their statuses); returns the function that stops following. */
  watch(): () => void
  refreshStatus(name: string): Promise<void>
  refreshHistory(name: string): Promise<void>
  create(input: CreateAppInput): Promise<AppSummary>
  deploy(name: string): void
  rollback(name: string, to?: string): void
  /** A catalogue app to its template's version `to` (default: the newest). */
  upgrade(name: string, to?: string): void
  stop(name: string): void
  /** `volumes`: keep or delete the app's volumes (needed when it has some). */
  remove(name: string, volumes?: VolumesChoice): Promise<void>
}

const subscriptions = new Map<string, Subscription>()

function apply(run: DeployRun, event: DeployProgress): DeployRun {
  switch (event.type) {
    case 'step': {
      const step: DeployStep = {
        step: event.step,
        status: event.status,
        message: event.message,
        code: event.code,
      }
      const index = run.steps.findIndex((s) => s.step === event.step)
      return { ...run, steps: index < 0 ? [...run.steps, step] : run.steps.with(index, step) }
    }
    case 'uploaded':
      return { ...run, uploaded: event }
    case 'started':
      return { ...run, id: event.id }
    case 'done':
      return { ...run, status: 'done', id: event.deployment.id, deployment: event.deployment }
    // The log is shown by the deployment's own log view, which follows it from the server.
    case 'log':
      return run
  }
}

export const useApps = create<AppsState>((set, get) => {
  /** A refresh keeps showing what was last read rather than flashing back to "loading". */
  const keep = <T>(tasks: Record<string, Task<T>>, name: string, task: Task<T>): Record<string, Task<T>> =>
    task.status === 'running' && tasks[name]?.status === 'done' ? tasks : { ...tasks, [name]: task }
  const setStatus = (name: string, task: Task<AppStatus>): void =>
    set((state) => ({ statuses: keep(state.statuses, name, task) }))
  const setHistory = (name: string, task: Task<AppHistory>): void =>
    set((state) => ({ histories: keep(state.histories, name, task) }))
  const update = (name: string, change: (run: DeployRun) => DeployRun): void =>
    set((state) => {
      const run = state.runs[name]
      return run ? { runs: { ...state.runs, [name]: change(run) } } : {}
    })

  const start = (name: string, kind: DeployRun['kind'], to?: string): void => {
    if (get().runs[name]?.status === 'running') return
    set((state) => ({
      runs: {
        ...state.runs,
        [name]: {
          kind,
          status: 'running',
          id: null,
          steps: [],
          uploaded: null,
          deployment: null,
          failure: null,
        },
      },
    }))
    const onItem = (event: DeployProgress): void => {
      update(name, (run) => apply(run, event))
      // The server has recorded it: its status now shows the deployment running.
      if (event.type === 'started') void get().refreshStatus(name)
    }
    const input = { name, ...(to ? { to } : {}) }
    const subscription =
      kind === 'deploy'
        ? api().subscribe('apps:deploy', { name }, onItem)
        : kind === 'rollback'
          ? api().subscribe('apps:rollback', input, onItem)
          : api().subscribe('catalog:upgrade', input, onItem)
    subscriptions.set(name, subscription)
    void subscription.done
      .then(
        // Ending without a `done` event means the user stopped following it.
        () => update(name, (run) => (run.status === 'running' ? { ...run, status: 'stopped' } : run)),
        (error: unknown) => update(name, (run) => ({ ...run, status: 'failed', failure: toFailure(error) })),
      )
      .finally(() => {
        subscriptions.delete(name)
        void get().refreshStatus(name)
        void get().refreshHistory(name)
      })
  }

  return {
    apps: null,
    statuses: {},
    histories: {},
    runs: {},
    watch() {
      const subscription = api().subscribe('apps:watch', undefined, (apps) => {
        set({ apps })
        for (const app of apps) void get().refreshStatus(app.name)
      })
      subscription.done.catch((error: unknown) => useSession.getState().fail(error))
      return () => subscription.cancel()
    },
    async refreshStatus(name) {
      await runTask(
        () => api().call('apps:status', { name }),
        (task) => setStatus(name, task),
      )
    },
    async refreshHistory(name) {
      await runTask(
        () => api().call('apps:deployments', { name }),
        (task) => setHistory(name, task),
      )
    },
    create: (input) => api().call('apps:create', input),
    deploy: (name) => start(name, 'deploy'),
    rollback: (name, to) => start(name, 'rollback', to),
    upgrade: (name, to) => start(name, 'upgrade', to),
    stop(name) {
      subscriptions.get(name)?.cancel()
    },
    async remove(name, volumes) {
      await api().call('apps:remove', { name, ...(volumes ? { volumes } : {}) })
      set((state) => {
        const { [name]: _status, ...statuses } = state.statuses
        const { [name]: _history, ...histories } = state.histories
        const { [name]: _run, ...runs } = state.runs
        return { statuses, histories, runs }
      })
    },
  }
})

export const selectApp =
  (name: string) =>
  (state: AppsState): AppSummary | undefined =>
    state.apps?.find((app) => app.name === name)

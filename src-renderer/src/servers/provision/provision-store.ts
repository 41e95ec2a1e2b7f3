import { create } from 'zustand'
import type {
  ProvisionEvent,
  ProvisionInput,
  ProxyKind,
  ServerFacts,
  ServerSummary,
} from '../../../../src-main/api/contract'
import type { Subscription } from '../../../../src-main/api/client'
import { api } from '../../session-store'
import { toFailure, type Failure } from '../../ui/task'
import { useServers } from '../servers-store'

export interface ProvisionForm {
  proxy: ProxyKind
  email: string
  proxyImage: string
  httpPort: string
  httpsPort: string
  bind: string
}

type StepStatus = Extract<ProvisionEvent, { type: 'step' }>['status']

interface ProvisionStep {
  step: string
  status: StepStatus
  message: string
}

export interface ProvisionRun {
  status: 'running' | 'done' | 'failed' | 'stopped'
  /** In the order they first reported, each with its latest state. */
  steps: ProvisionStep[]
  log: string[]
  outcome: { changed: boolean; facts: ServerFacts } | null
  failure: Failure | null
}

/** Enough raw log to diagnose a failure without holding an unbounded transcript in the page. */
const MAX_LOG_LINES = 5000

export const DEFAULT_FORM: ProvisionForm = {
  proxy: 'traefik',
  email: '',
  proxyImage: '',
  httpPort: '',
  httpsPort: '',
  bind: '',
}

interface ProvisionState {
  /** What the user chose, by server id: kept across retries and page changes. */
  forms: Record<string, ProvisionForm>
  /** The latest run by server id; a run goes on while the user looks at other pages. */
  runs: Record<string, ProvisionRun>
  setForm(server: ServerSummary, patch: Partial<ProvisionForm>): void
  start(server: ServerSummary, input: ProvisionInput): void
  stop(server: ServerSummary): void
}

const subscriptions = new Map<string, Subscription>()

function apply(run: ProvisionRun, event: ProvisionEvent): ProvisionRun {
  switch (event.type) {
    case 'step': {
      const step: ProvisionStep = { step: event.step, status: event.status, message: event.message }
      const index = run.steps.findIndex((s) => s.step === event.step)
      const steps = index < 0 ? [...run.steps, step] : run.steps.with(index, step)
      return { ...run, steps }
    }
    case 'log': {
      const log = [...run.log, event.line]
      return { ...run, log: log.length > MAX_LOG_LINES ? log.slice(-MAX_LOG_LINES) : log }
    }
    case 'done':
      return { ...run, status: 'done', outcome: { changed: event.changed, facts: event.facts } }
  }
}

export const useProvision = create<ProvisionState>((set, get) => {
  const update = (id: string, change: (run: ProvisionRun) => ProvisionRun): void =>
    set((state) => {
      const run = state.runs[id]
      return run ? { runs: { ...state.runs, [id]: change(run) } } : {}
    })
  return {
    forms: {},
    runs: {},
    setForm: ({ id }, patch) =>
      set((state) => ({
        forms: { ...state.forms, [id]: { ...(state.forms[id] ?? DEFAULT_FORM), ...patch } },
      })),
    start(server, input) {
      const { id } = server
      if (get().runs[id]?.status === 'running') return
      set((state) => ({
        runs: {
          ...state.runs,
          [id]: { status: 'running', steps: [], log: [], outcome: null, failure: null },
        },
      }))
      const subscription = api().subscribe('servers:provision', input, (event) => {
        update(id, (run) => apply(run, event))
        if (event.type === 'done') useServers.getState().setFacts(server, event.facts)
      })
      subscriptions.set(id, subscription)
      void subscription.done
        .then(
          // Ending without a `done` event means the user stopped it.
          () => update(id, (run) => (run.status === 'running' ? { ...run, status: 'stopped' } : run)),
          (error: unknown) => update(id, (run) => ({ ...run, status: 'failed', failure: toFailure(error) })),
        )
        .finally(() => subscriptions.delete(id))
    },
    stop({ id }) {
      subscriptions.get(id)?.cancel()
    },
  }
})

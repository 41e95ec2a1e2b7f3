import { useEffect, useState } from 'react'
import type { BuildPlan } from '../../../src-main/api/contract'
import { api } from '../session-store'
import { ErrorNote } from '../ui/error-note'
import { Panel } from '../ui/panel'
import { Properties, type PropertyRow } from '../ui/properties'
import { runTask, type Task } from '../ui/task'
import { STACK_LABELS } from './ship-format'
import './ship.css'

/** How long a typed path rests before its folder is read: typing it reads once. */
const SETTLE_MS = 400

/** `builds:plan` of an app, or of a folder before the app exists; none while `input` is null. */
export function useBuildPlan(input: { app: string } | { path: string } | null): Task<BuildPlan> | undefined {
  // Each answer with the input it is for: a plan of another path is never shown.
  const [plan, setPlan] = useState<{ key: string; task: Task<BuildPlan> }>()
  const key = input === null ? null : JSON.stringify(input)
  useEffect(() => {
    if (key === null) return
    let current = true
    const timer = setTimeout(
      () =>
        void runTask(
          () => api().call('builds:plan', JSON.parse(key)),
          (task) => current && setPlan({ key, task }),
        ),
      SETTLE_MS,
    )
    return () => {
      current = false
      clearTimeout(timer)
    }
  }, [key])
  if (key === null) return undefined
  return plan?.key === key ? plan.task : { status: 'running' }
}

/** What a build will do: the stack found and why, the base images, the start command, the Dockerfile. */
export function BuildPlanPanel({ plan, title = 'Build plan' }: { plan: Task<BuildPlan>; title?: string }) {
  return (
    <Panel title={title}>
      {plan.status === 'running' ? (
        <p className="muted" aria-busy="true">
          Reading the source…
        </p>
      ) : plan.status === 'failed' ? (
        // Advice while the folder is typed, not the form's error: a status, not an alert.
        <ErrorNote failure={plan.failure} role="status" />
      ) : (
        <PlanView plan={plan.value} />
      )}
    </Panel>
  )
}

function planRows(plan: BuildPlan): PropertyRow[] {
  const rows: PropertyRow[] = [['Stack', STACK_LABELS[plan.stack]]]
  if (plan.baseImages.length)
    rows.push(['Base images', <span className="mono">{plan.baseImages.join(', ')}</span>])
  rows.push(['Start command', plan.start ? <span className="mono">{plan.start}</span> : 'The image’s own'])
  if (plan.port !== null) rows.push(['Port', String(plan.port)])
  if (plan.processes.length) {
    const processes = plan.processes.map((p) => `${p.name}: ${p.command}`).join('; ')
    rows.push(['Processes', <span className="mono">{processes}</span>])
  }
  return rows
}

function PlanView({ plan }: { plan: BuildPlan }) {
  return (
    <div className="stack">
      <p className="muted">
        {plan.generated
          ? 'No Dockerfile in the source: Helvetia generates one with pinned official base images, a cached dependency layer and a non-root user.'
          : 'The source’s own Dockerfile builds the image.'}
      </p>
      <Properties rows={planRows(plan)} />
      {plan.evidence.length > 0 && (
        <>
          <h3 className="plan-heading">Why</h3>
          <ul className="plan-evidence" aria-label="Evidence">
            {plan.evidence.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </>
      )}
      <details className="code-details">
        <summary>{plan.generated ? 'The generated Dockerfile' : 'The Dockerfile'}</summary>
        <pre className="code-block" tabIndex={0} aria-label="Dockerfile">
          {plan.dockerfile}
        </pre>
      </details>
    </div>
  )
}

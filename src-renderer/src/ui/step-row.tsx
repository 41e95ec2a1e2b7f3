import type { ReactNode } from 'react'
import { CheckIcon, CloseIcon, SkipIcon } from './icons'

type StepState = 'waiting' | 'running' | 'done' | 'skipped' | 'failed'

const LABELS: Record<StepState, string> = {
  waiting: 'Waiting',
  running: 'Running',
  done: 'Done',
  skipped: 'Skipped',
  failed: 'Failed',
}

function StateIcon({ state }: { state: StepState }) {
  switch (state) {
    case 'waiting':
      return null
    case 'running':
      return <span className="spinner" aria-hidden="true" />
    case 'done':
      return <CheckIcon />
    case 'skipped':
      return <SkipIcon />
    case 'failed':
      return <CloseIcon />
  }
}

/** One item of a step list (an <ol>): its state, what it does, and what to show under it. */
export function StepRow({
  state,
  label,
  children,
}: {
  state: StepState
  label: ReactNode
  children?: ReactNode
}) {
  return (
    <li className={`step step-${state}`}>
      <span className="step-icon">
        <StateIcon state={state} />
      </span>
      <div className="step-body">
        <p className="step-line">
          <span className="step-message">{label}</span>
          <span className="step-status">{LABELS[state]}</span>
        </p>
        {children}
      </div>
    </li>
  )
}

import { useEffect, useRef, useState } from 'react'
import { Button } from '../../ui/button'
import { ErrorNote } from '../../ui/error-note'
import { AlertIcon, CheckIcon } from '../../ui/icons'
import { Panel } from '../../ui/panel'
import { FactsList } from '../server-facts'
import { StepRow } from '../../ui/step-row'
import type { ProvisionRun } from './provision-store'

const RUN_LABELS: Record<ProvisionRun['status'], string> = {
  running: 'Provisioning…',
  done: 'Finished',
  failed: 'Failed',
  stopped: 'Stopped',
}

/** The live step list, the failure beside the step that failed, the outcome and the raw log. */
export function ProvisionProgress({
  run,
  onRetry,
  level,
}: {
  run: ProvisionRun
  onRetry(): void
  level: 2 | 3
}) {
  const failedStep = run.steps.some((step) => step.status === 'failed')
  const retry = run.failure && (
    <Button variant="primary" onClick={onRetry}>
      Retry
    </Button>
  )
  return (
    <Panel
      title="Progress"
      level={level}
      actions={
        <span className={`badge badge-${run.status}`} role="status">
          {RUN_LABELS[run.status]}
        </span>
      }
    >
      {run.steps.length === 0 && run.status === 'running' && <p className="muted">Connecting over SSH…</p>}
      <ol className="steps" aria-label="Provisioning steps">
        {run.steps.map((step) => (
          <StepRow key={step.step} state={step.status} label={step.message}>
            {step.status === 'failed' && run.failure && <ErrorNote failure={run.failure} actions={retry} />}
          </StepRow>
        ))}
      </ol>
      {run.failure && !failedStep && <ErrorNote failure={run.failure} actions={retry} />}
      {run.status === 'stopped' && (
        <p className="note note-warning">
          <AlertIcon />
          <span className="note-body">
            Stopped before the end. Provision again to finish the remaining steps.
          </span>
        </p>
      )}
      {run.outcome && (
        <div className="outcome">
          <p className="note note-success">
            <CheckIcon />
            <span className="note-body">
              {run.outcome.changed
                ? 'The server is ready for your apps.'
                : 'The server was already provisioned: nothing needed to change.'}
            </span>
          </p>
          <FactsList facts={run.outcome.facts} />
        </div>
      )}
      <RawLog lines={run.log} />
    </Panel>
  )
}

/** Collapsed by default; while open it follows the end of the log unless the reader scrolled up. */
function RawLog({ lines }: { lines: string[] }) {
  const [open, setOpen] = useState(false)
  const pre = useRef<HTMLPreElement>(null)
  const following = useRef(true)
  useEffect(() => {
    if (open && following.current && pre.current) pre.current.scrollTop = pre.current.scrollHeight
  }, [open, lines])
  return (
    <details className="log" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>
        Raw log <span className="muted">({lines.length === 1 ? '1 line' : `${lines.length} lines`})</span>
      </summary>
      {open && (
        <pre
          ref={pre}
          className="log-text"
          tabIndex={0}
          aria-label="Raw provisioning log"
          onScroll={(event) => {
            const el = event.currentTarget
            following.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 8
          }}
        >
          {lines.join('\n')}
        </pre>
      )}
    </details>
  )
}

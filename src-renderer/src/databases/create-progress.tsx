import { useCallback, useState } from 'react'
import type { CreateDatabaseEvent } from '../../../src-main/api/contract'
import { Panel } from '../ui/panel'
import { StepRow } from '../ui/step-row'

type Step = Extract<CreateDatabaseEvent, { type: 'step' }>
type ProgressEvent = Exclude<CreateDatabaseEvent, { type: 'done' }>

/** The last output lines kept (an image pull's progress, say): enough to see where it stands. */
const LOG_LINES = 8

export interface CreateProgressState {
  steps: Step[]
  log: string[]
}

/** The steps and output of a creation as they arrive; `reset` starts a new one. */
export function useCreateProgress() {
  const [progress, setProgress] = useState<CreateProgressState | null>(null)
  const onProgress = useCallback((event: ProgressEvent) => {
    setProgress((current) => {
      const { steps, log } = current ?? { steps: [], log: [] }
      if (event.type === 'log') return { steps, log: [...log, event.line].slice(-LOG_LINES) }
      const index = steps.findIndex((s) => s.step === event.step)
      return { steps: index < 0 ? [...steps, event] : steps.with(index, event), log }
    })
  }, [])
  const reset = useCallback(() => setProgress({ steps: [], log: [] }), [])
  return { progress, onProgress, reset }
}

/** The server script's steps while the database is created, and its latest output. */
export function CreateProgress({ progress }: { progress: CreateProgressState }) {
  return (
    <Panel title="Creating">
      {progress.steps.length === 0 && <p className="muted">Starting on the server…</p>}
      <ol className="steps" aria-label="Create steps">
        {progress.steps.map((step) => (
          <StepRow key={step.step} state={step.status} label={step.message || step.step} />
        ))}
      </ol>
      {progress.log.length > 0 && <pre className="create-log mono">{progress.log.join('\n')}</pre>}
    </Panel>
  )
}

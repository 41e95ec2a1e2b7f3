/**
 * The machine-readable lines that remote-scripts/ print beside their human output
 * (written by remote-scripts/lib/progress.sh):
 *
 *   ::helvetia:: step=<id> status=<running|done|skipped|failed>[ code=<CODE>] <message>
 *   ::helvetia:: fact <key>=<value>
 *   ::helvetia:: changed=<0|1>
 *   ::helvetia:: hint <what to do about the failure>
 *
 * `code` appears on failed steps only. Any other line is human output.
 */

export const PROGRESS_PREFIX = '::helvetia:: '

export type StepStatus = 'running' | 'done' | 'skipped' | 'failed'

export type ProgressLine =
  | { type: 'step'; step: string; status: StepStatus; code: string | null; message: string }
  | { type: 'fact'; key: string; value: string }
  | { type: 'changed'; changed: boolean }
  | { type: 'hint'; text: string }

const STEP =
  /^step=([a-z][a-z0-9-]*) status=(running|done|skipped|failed)(?: code=([A-Z][A-Z0-9_]*))?(?: (.*))?$/
const FACT = /^fact ([a-z][a-z0-9-]*)=(.*)$/
const CHANGED = /^changed=([01])$/
const HINT = /^hint (.+)$/

/** The progress line in `line` (without its line break), or null when it is human output. */
export function parseProgressLine(line: string): ProgressLine | null {
  if (!line.startsWith(PROGRESS_PREFIX)) return null
  const body = line.slice(PROGRESS_PREFIX.length)
  let m: RegExpExecArray | null
  if ((m = STEP.exec(body))) {
    const [, step = '', status, code, message = ''] = m
    if (code && status !== 'failed') return null
    return { type: 'step', step, status: status as StepStatus, code: code ?? null, message }
  }
  if ((m = FACT.exec(body))) return { type: 'fact', key: m[1] ?? '', value: m[2] ?? '' }
  if ((m = CHANGED.exec(body))) return { type: 'changed', changed: m[1] === '1' }
  if ((m = HINT.exec(body))) return { type: 'hint', text: m[1] ?? '' }
  return null
}

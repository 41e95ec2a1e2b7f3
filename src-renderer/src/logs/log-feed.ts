/**
 * Where a log view's lines come from. A feed starts when called and returns its unsubscribe; it
 * writes lines to the sink as they arrive and ends it once (with the failure, if the log failed).
 */
import type { ApiClient } from '../../../src-main/api/client'
import type { DeployProgress } from '../../../src-main/api/contract'
import { formatBytes } from '../ui/format'
import { toFailure } from '../ui/task'

export interface LogSink {
  write(lines: string[]): void
  end(error?: { message: string; hint?: string }): void
}

export type LogFeed = (sink: LogSink) => () => void

/**
 * Runs a stream of the API into a sink. `onItem` returns at once (the view only queues the lines),
 * so the client acknowledges items as fast as they come: see log-pump.ts on why that is safe.
 */
function streamFeed<T>(
  subscribe: (onItem: (item: T) => void) => ReturnType<ApiClient['subscribe']>,
  toLines: (item: T) => string[],
): LogFeed {
  return (sink) => {
    let live = true
    const subscription = subscribe((item) => {
      const lines = toLines(item)
      if (live && lines.length > 0) sink.write(lines)
    })
    subscription.done.then(
      () => live && sink.end(),
      (error: unknown) => live && sink.end(toFailure(error)),
    )
    return () => {
      live = false
      subscription.cancel()
    }
  }
}

/** A deployment's log from its start, followed while it runs: its output and its steps as status lines. */
export const deploymentLogFeed = (api: ApiClient, app: string, id: string): LogFeed =>
  streamFeed<DeployProgress>(
    (onItem) => api.subscribe('apps:deployment-log', { name: app, id }, onItem),
    (event) => [progressLine(event)],
  )

/**
 * The running container's output: the last `tail` lines, then new ones as they come. `service`: a
 * compose app's service or a process type (default: the routed one).
 */
export const runtimeLogFeed = (
  api: ApiClient,
  app: string,
  { tail, service }: { tail?: number; service?: string } = {},
): LogFeed =>
  streamFeed<{ lines: string[] }>(
    (onItem) =>
      api.subscribe('apps:logs', { name: app, tail, follow: true, ...(service ? { service } : {}) }, onItem),
    (batch) => batch.lines,
  )

const paint = (colour: number, text: string): string => `\x1b[${colour}m${text}\x1b[0m`
const BOLD = 1
const DIM = 2
const RED = 31
const GREEN = 32
const CYAN = 36

const STEP_MARKS: Record<
  Extract<DeployProgress, { type: 'step' }>['status'],
  [mark: string, colour: number]
> = {
  running: ['›', CYAN],
  done: ['✓', GREEN],
  skipped: ['–', DIM],
  failed: ['✗', RED],
}

/** One deploy event as a line of the log: output as it is, the rest as a coloured status line. */
export function progressLine(event: DeployProgress): string {
  switch (event.type) {
    case 'log':
      return event.line
    case 'step': {
      const [mark, colour] = STEP_MARKS[event.status]
      const code = event.code ? ` ${paint(DIM, `(${event.code})`)}` : ''
      return `${paint(colour, mark)} ${paint(BOLD, event.step.padEnd(7))} ${event.message}${code}`
    }
    case 'uploaded':
      return `${paint(GREEN, '✓')} ${paint(BOLD, 'upload'.padEnd(7))} ${event.files} files, ${formatBytes(event.sentBytes)} sent of ${formatBytes(event.treeBytes)}`
    case 'started':
      return paint(DIM, `Deployment ${event.id} started on the server.`)
    case 'done': {
      const { id, status, error } = event.deployment
      if (status === 'succeeded') return paint(GREEN, `✓ Deployment ${id} succeeded.`)
      return paint(RED, `✗ Deployment ${id} ${status}${error ? `: ${error.message}` : '.'}`)
    }
  }
}

import { setTimeout as sleep } from 'node:timers/promises'
import type { MetricsEvent, MetricsState } from '../../api/contract'
import { UserError } from '../errors'
import type { ScriptRunner } from '../remote/script-runner'
import type { Target } from '../targets/target'
import { snapshotReader, type Snapshot } from './metrics-parse'
import { toSamples, type Samples } from './metrics-rates'

export type StatusEvent = Extract<MetricsEvent, { type: 'status' }>

export interface CollectorOptions {
  scripts: ScriptRunner
  /** The server's connection, asked before each (re)start; throws SERVER_NOT_FOUND once it was removed. */
  target: () => Target
  prefix: string
  intervalS: number
  onSamples: (samples: Samples) => void
  onStatus: (status: StatusEvent) => void
  /** Aborting ends the stream on the server and the collection. */
  signal: AbortSignal
  /** Waits before starting again after a failure: doubling from the first to the last (ms). */
  retryMs?: { first: number; last: number }
}

export const statusEvent = (state: MetricsState, error: unknown = null): StatusEvent => ({
  type: 'status',
  state,
  error:
    error === null
      ? null
      : error instanceof UserError
        ? { code: error.code, message: error.message, hint: error.hint ?? null }
        : { code: 'METRICS_FAILED', message: (error as Error)?.message ?? String(error), hint: null },
})

/**
 * Collects one server's metrics: runs remote-scripts/metrics-stream.sh in ONE exec channel on the
 * server's shared connection and turns each sample it prints into samples with rates. When the stream
 * breaks (the connection dropped, the server rebooted) it starts it again, with growing pauses while
 * it keeps failing; the connection itself reconnects underneath. Resolves once `signal` aborts; rejects
 * only when `target` throws (the server was removed).
 */
export async function collect(options: CollectorOptions): Promise<void> {
  const { signal, retryMs = { first: 2_000, last: 60_000 } } = options
  let delay = retryMs.first
  while (!signal.aborted) {
    const target = options.target()
    options.onStatus(statusEvent('connecting'))
    const { error, sampled } = await run(target, options)
    if (signal.aborted) return
    if (sampled) delay = retryMs.first
    options.onStatus(statusEvent('retrying', error))
    await sleep(delay, undefined, { signal }).catch(() => {})
    delay = Math.min(delay * 2, retryMs.last)
  }
}

/** One run of the stream, until it breaks: why it did, and whether any sample arrived. */
async function run(target: Target, options: CollectorOptions): Promise<{ error: unknown; sampled: boolean }> {
  // A failure handling a line ends this run (it is reported, and the stream starts again), rather
  // than escaping from the connection's data event.
  const stop = new AbortController()
  const abortRun = (): void => stop.abort(options.signal.reason)
  options.signal.addEventListener('abort', abortRun, { once: true })
  let previous: Snapshot | null = null
  let sampled = false
  const read = snapshotReader((snapshot) => {
    if (!sampled) options.onStatus(statusEvent('live'))
    sampled = true
    options.onSamples(toSamples(previous, snapshot))
    previous = snapshot
  })
  try {
    await options.scripts.call(
      target,
      'metrics.stream',
      { prefix: options.prefix, interval: options.intervalS },
      {
        signal: stop.signal,
        onEvent: (event) => {
          if (event.type !== 'log' || event.stream !== 'stdout' || stop.signal.aborted) return
          try {
            read(event.line)
          } catch (error) {
            stop.abort(error)
          }
        },
      },
    )
    return {
      error: new UserError('METRICS_STREAM_ENDED', 'The metrics stream on the server ended.'),
      sampled,
    }
  } catch (error) {
    return { error: stop.signal.aborted ? stop.signal.reason : error, sampled }
  } finally {
    options.signal.removeEventListener('abort', abortRun)
  }
}

import type { HandlersOf, MetricsEvent, MetricsRange } from '../../api/contract'
import { boundedStream, type BoundedStreamOptions } from '../bounded-stream'
import { oneService } from '../errors'
import type { Metrics } from './metrics'

/**
 * A server's collection is shared by every watcher, so one slow reader cannot pause it: above the high
 * mark the oldest live event a reader has not taken is dropped (never the history it started with).
 * Losing samples is fine, and seen: each carries its time, so a run of dropped ones is a gap at that
 * time in the chart (the renderer's withGaps), and the store keeps them for the next opening's history.
 */
const METRICS_MARKS: BoundedStreamOptions<MetricsEvent> = {
  highWater: 64,
  overflow: (held, item) => {
    const oldest = held.findIndex((event) => event.type !== 'history')
    return oldest < 0 ? [...held, item] : [...held.slice(0, oldest), ...held.slice(oldest + 1), item]
  },
}

/** The metrics methods of the API, over the core's metrics service. */
export function metricsApi(metrics: Metrics): HandlersOf<'metrics'> {
  const follow = (series: { server: string } | { app: string }, range: MetricsRange, signal: AbortSignal) =>
    boundedStream<MetricsEvent>(
      (sink) => metrics.follow(series, range, (event) => sink.push(event), sink.signal),
      signal,
      METRICS_MARKS,
    )
  return {
    'metrics:server': ({ server, range }, signal) => follow({ server }, range ?? '1h', signal),
    'metrics:app': ({ name, range, service }, signal) => {
      // Never the whole app's figures under one service's name: per-service metrics are not built yet.
      if (service !== undefined) throw oneService('Metrics', name, service)
      return follow({ app: name }, range ?? '1h', signal)
    },
  }
}

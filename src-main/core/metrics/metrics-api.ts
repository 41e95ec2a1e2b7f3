import type { HandlersOf, MetricsEvent, MetricsRange } from '../../api/contract'
import { METRICS_RANGES } from '../../api/metrics'
import { optionalString, requireString } from '../api/input'
import { eventStream } from '../event-stream'
import type { Metrics } from './metrics'

/** The metrics methods of the API, over the core's metrics service. */
export function metricsApi(metrics: Metrics): HandlersOf<'metrics'> {
  const follow = (series: { server: string } | { app: string }, range: MetricsRange, signal: AbortSignal) =>
    eventStream<MetricsEvent>((emit, abort) => metrics.follow(series, range, emit, abort), signal)
  return {
    'metrics:server': (input, signal) =>
      follow({ server: requireString(input, 'server') }, rangeOf(input), signal),
    'metrics:app': (input, signal) => follow({ app: requireString(input, 'name') }, rangeOf(input), signal),
  }
}

function rangeOf(input: unknown): MetricsRange {
  const range = optionalString(input, 'range') ?? '1h'
  if (!(METRICS_RANGES as readonly string[]).includes(range)) {
    throw new TypeError(`Expected "range" to be one of ${METRICS_RANGES.join(', ')}`)
  }
  return range as MetricsRange
}

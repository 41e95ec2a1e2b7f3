import type { HandlersOf, MetricsEvent, MetricsRange } from '../../api/contract'
import { eventStream } from '../event-stream'
import type { Metrics } from './metrics'

/** The metrics methods of the API, over the core's metrics service. */
export function metricsApi(metrics: Metrics): HandlersOf<'metrics'> {
  const follow = (series: { server: string } | { app: string }, range: MetricsRange, signal: AbortSignal) =>
    eventStream<MetricsEvent>((emit, abort) => metrics.follow(series, range, emit, abort), signal)
  return {
    'metrics:server': ({ server, range }, signal) => follow({ server }, range ?? '1h', signal),
    'metrics:app': ({ name, range }, signal) => follow({ app: name }, range ?? '1h', signal),
  }
}

import { useEffect, useState } from 'react'
import type { MetricSample, MetricsEvent, MetricsRange } from '../../../src-main/api/contract'
import { api } from '../session-store'
import { toFailure, type Failure } from '../ui/task'

/** A server itself, or an app's containers. */
export type Series = { server: string } | { app: string }

export type MetricsStatus = Extract<MetricsEvent, { type: 'status' }>

export interface MetricsView {
  /** False until the history arrived. */
  loaded: boolean
  samples: MetricSample[]
  /** The seconds each history point averages. */
  stepS: number
  status: MetricsStatus | null
  /** The stream ended with an error (the server or app was removed, the core went away). */
  failure: Failure | null
}

const RANGE_MS: Record<MetricsRange, number> = {
  '15m': 15 * 60_000,
  '1h': 60 * 60_000,
  '6h': 6 * 60 * 60_000,
  '24h': 24 * 60 * 60_000,
}

const EMPTY: MetricsView = { loaded: false, samples: [], stepS: 10, status: null, failure: null }

/**
 * Follows a series for `range`: its history, then live samples (older ones drop out of the window).
 * Key the component by series and range: the state starts empty for each.
 */
export function useMetrics(series: Series, range: MetricsRange): MetricsView {
  const [view, setView] = useState<MetricsView>(EMPTY)
  const kind = 'server' in series ? 'server' : 'app'
  const name = 'server' in series ? series.server : series.app

  useEffect(() => {
    const onItem = (event: MetricsEvent): void => {
      if (event.type === 'history') {
        setView((v) => ({ ...v, loaded: true, samples: event.samples, stepS: event.stepS }))
      } else if (event.type === 'status') {
        setView((v) => ({ ...v, status: event }))
      } else {
        const since = event.sample.ts - RANGE_MS[range]
        setView((v) => ({ ...v, samples: [...v.samples.filter((s) => s.ts >= since), event.sample] }))
      }
    }
    const subscription =
      kind === 'server'
        ? api().subscribe('metrics:server', { server: name, range }, onItem)
        : api().subscribe('metrics:app', { name, range }, onItem)
    subscription.done.catch((error: unknown) => setView((v) => ({ ...v, failure: toFailure(error) })))
    return () => subscription.cancel()
  }, [kind, name, range])

  return view
}

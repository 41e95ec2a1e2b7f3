/** Metrics: a server's and an app's resource use over time. Types, plain data and input schemas only. */
import { z } from 'zod'
import { stream, text } from './spec'

/** How far back a chart looks. */
export const METRICS_RANGES = ['15m', '1h', '6h', '24h'] as const
export type MetricsRange = (typeof METRICS_RANGES)[number]
const range = z.enum(METRICS_RANGES).optional()

/**
 * One point in time. For a server: CPU in % of the whole machine (0–100), memory used of total,
 * disk used of total (the Docker data root's file system), network of its interfaces. For an app: the
 * sum over its running containers, CPU in % of one core (like `docker stats`: 200 is two cores busy),
 * memory used of the containers' limit (the server's memory when unlimited); no disk. Null: not
 * measured (e.g. the first sample has no earlier one to take a rate from).
 */
export interface MetricSample {
  /** Milliseconds since the epoch (this computer's clock). */
  ts: number
  cpu: number | null
  memUsed: number | null
  memTotal: number | null
  /** Bytes per second. */
  netRx: number | null
  netTx: number | null
  diskUsed: number | null
  diskTotal: number | null
}

export type MetricsState =
  /** Starting the stream on the server (connecting first when needed). */
  | 'connecting'
  /** Samples are arriving. */
  | 'live'
  /** The stream broke (the connection dropped, the server is unreachable); trying again by itself. */
  | 'retrying'

export type MetricsEvent =
  /** First: what the store holds for the range, averaged into `stepS`-second points, oldest first. */
  | { type: 'history'; range: MetricsRange; stepS: number; samples: MetricSample[] }
  /** Then each new sample as it is measured (about every 10 s). */
  | { type: 'sample'; sample: MetricSample }
  /** Whenever the collection's state changes (and once at the start). */
  | {
      type: 'status'
      state: MetricsState
      error: { code: string; message: string; hint: string | null } | null
    }

export const metricsContract = {
  /** The server's history for `range` (default 1h), then its live samples. Collects while watched. */
  'metrics:server': stream(z.strictObject({ server: text, range })).yields<MetricsEvent>(),
  /** The same for an app's containers on its server. */
  'metrics:app': stream(
    /** `service`: one service or process type: refused for now (INVALID_OPTION), not built yet. */
    z.strictObject({ name: text, range, service: text.optional() }),
  ).yields<MetricsEvent>(),
} as const

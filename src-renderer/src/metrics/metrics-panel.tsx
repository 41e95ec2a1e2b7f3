import { useState } from 'react'
import type { MetricsRange } from '../../../src-main/api/contract'
import { METRICS_RANGES } from '../../../src-main/api/metrics'
import { ErrorNote } from '../ui/error-note'
import { formatBytes } from '../ui/format'
import { Panel } from '../ui/panel'
import { APP_CHARTS, latest, SERVER_CHARTS, withGaps, type ChartSpec } from './chart-specs'
import { MetricChart } from './metric-chart'
import { useMetrics, type MetricsStatus, type MetricsView, type Series } from './use-metrics'
import './metrics.css'

const RANGE_LABELS: Record<MetricsRange, string> = {
  '15m': '15 min',
  '1h': '1 hour',
  '6h': '6 hours',
  '24h': '24 hours',
}

/** The server's CPU, memory, network and disk, with its memory and disk use now. */
export function ServerMetrics({ server }: { server: string }) {
  return <MetricsPanel series={{ server }} charts={SERVER_CHARTS} usage />
}

/** An app's CPU, memory and network: the sum over its running containers. */
export function AppMetrics({ app }: { app: string }) {
  return <MetricsPanel series={{ app }} charts={APP_CHARTS} />
}

function MetricsPanel({ series, charts, usage }: { series: Series; charts: ChartSpec[]; usage?: boolean }) {
  const [range, setRange] = useState<MetricsRange>('1h')
  const name = 'server' in series ? series.server : series.app
  return (
    <Panel
      title="Metrics"
      className="metrics-panel"
      actions={<RangePicker value={range} onChange={setRange} />}
    >
      <MetricsBody key={`${name}:${range}`} series={series} range={range} charts={charts} usage={usage} />
    </Panel>
  )
}

function MetricsBody({
  series,
  range,
  charts,
  usage,
}: {
  series: Series
  range: MetricsRange
  charts: ChartSpec[]
  usage?: boolean
}) {
  const view = useMetrics(series, range)
  if (view.failure) return <ErrorNote failure={view.failure} />
  const samples = withGaps(view.samples, view.stepS)
  return (
    <>
      <StatusLine view={view} />
      {usage && <Usage view={view} />}
      {view.loaded && view.samples.length === 0 ? (
        <p className="muted metrics-empty">
          No samples for this range yet: they are collected while this page is open.
        </p>
      ) : (
        <div className="metric-grid">
          {charts.map((spec) => (
            <MetricChart key={spec.id} spec={spec} samples={samples} />
          ))}
        </div>
      )}
    </>
  )
}

/** Radios, drawn as a segmented control: Tab reaches it, arrow keys pick the range. */
function RangePicker({ value, onChange }: { value: MetricsRange; onChange: (range: MetricsRange) => void }) {
  return (
    <fieldset className="segmented metrics-range">
      <legend className="visually-hidden">Time range</legend>
      {METRICS_RANGES.map((range) => (
        <label key={range} className="segmented-option">
          <input
            className="segmented-input"
            type="radio"
            name="metrics-range"
            value={range}
            checked={range === value}
            onChange={() => onChange(range)}
          />
          <span aria-hidden="true">{range}</span>
          <span className="visually-hidden">{RANGE_LABELS[range]}</span>
        </label>
      ))}
    </fieldset>
  )
}

function StatusLine({ view }: { view: MetricsView }) {
  const status: MetricsStatus | null = view.status
  if (status?.state === 'retrying' && status.error) {
    return (
      <div className="note note-warning metrics-status" role="status">
        <div className="note-body">
          <p className="note-title">Metrics paused: {status.error.message}</p>
          <p className="note-hint">{status.error.hint ?? 'Helvetia tries again by itself.'}</p>
        </div>
      </div>
    )
  }
  const live = status?.state === 'live'
  const averaged = view.stepS > 10 ? `; each point averages ${view.stepS / 60} min` : ''
  const text = live ? `Live${averaged}` : 'Connecting to the server…'
  return (
    <p className="metrics-live muted" role="status">
      <span className={`metrics-dot${live ? ' is-live' : ''}`} aria-hidden="true" />
      {text}
    </p>
  )
}

/** Memory and disk in use now, as meters. */
function Usage({ view }: { view: MetricsView }) {
  const meters = [
    { label: 'Memory', used: latest(view.samples, 'memUsed'), total: latest(view.samples, 'memTotal') },
    { label: 'Disk', used: latest(view.samples, 'diskUsed'), total: latest(view.samples, 'diskTotal') },
  ]
  return (
    <dl className="metric-usage">
      {meters.map(({ label, used, total }) => (
        <div key={label} className="metric-usage-item">
          <dt>{label}</dt>
          <dd>
            {used === null || total === null ? (
              '—'
            ) : (
              <>
                <meter min={0} max={total} value={used} high={total * 0.9} aria-label={`${label} in use`} />
                <span>
                  {formatBytes(used)} of {formatBytes(total)} ({Math.round((100 * used) / total)} %)
                </span>
              </>
            )}
          </dd>
        </div>
      ))}
    </dl>
  )
}

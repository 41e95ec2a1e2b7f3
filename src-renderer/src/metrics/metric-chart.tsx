import { useId } from 'react'
import {
  Area,
  AreaChart,
  CartesianGrid,
  Tooltip,
  XAxis,
  YAxis,
  type DotItemDotProps,
  type TooltipContentProps,
} from 'recharts'
import type { MetricSample } from '../../../src-main/api/contract'
import { latest, summarize, type ChartSpec } from './chart-specs'

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })
const timeWithSeconds = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
})

/**
 * One chart, with its numbers as text: a table of the latest, average and highest value of each line
 * (what a screen reader reads, and what a glance needs). Colours come from the theme's tokens through
 * metrics.css, so they follow the theme without a re-render.
 */
export function MetricChart({
  spec,
  samples,
}: {
  spec: ChartSpec
  /** With null points at gaps (see withGaps). */
  samples: MetricSample[]
}) {
  const titleId = useId()
  const total = spec.total ? latest(samples, spec.total) : null
  const show = (value: number | null): string => (value === null ? '—' : spec.format(value))
  const rows = spec.lines.map((line) => ({ ...line, ...summarize(samples, line.field) }))
  const span = (samples.at(-1)?.ts ?? 0) - (samples[0]?.ts ?? 0)
  const tickTime = span < 10 * 60_000 ? timeWithSeconds : time
  const description = rows
    .map((r) => `${r.label}: now ${show(r.now)}, average ${show(r.avg)}, highest ${show(r.max)}`)
    .join('; ')

  return (
    <figure className="metric-chart" aria-labelledby={titleId}>
      <figcaption className="metric-chart-head">
        <span id={titleId} className="metric-chart-title">
          {spec.title}
        </span>
        <span className="metric-chart-unit">
          {spec.unit}
          {total !== null && ` of ${spec.format(total)}`}
        </span>
      </figcaption>
      <div className="metric-chart-plot">
        <AreaChart
          responsive
          style={{ width: '100%', height: '100%' }}
          data={samples}
          margin={{ top: 6, right: 4, bottom: 0, left: 0 }}
          desc={description}
        >
          <CartesianGrid vertical={false} />
          <XAxis
            dataKey="ts"
            type="number"
            scale="time"
            domain={['dataMin', 'dataMax']}
            tickFormatter={(ts: number) => tickTime.format(ts)}
            minTickGap={40}
            tickLine={false}
          />
          <YAxis
            width={48}
            domain={[0, total ?? 'auto']}
            tickFormatter={(value: number) => spec.tick(value)}
            tickLine={false}
            axisLine={false}
          />
          <Tooltip content={(props) => <ChartTooltip {...props} spec={spec} />} />
          {spec.lines.map((line) => (
            <Area
              key={line.field}
              className={`metric-tone-${line.tone}`}
              dataKey={line.field}
              name={line.label}
              type="monotone"
              isAnimationActive={false}
              dot={(props: DotItemDotProps) => <LoneDot {...props} line={line} samples={samples} />}
            />
          ))}
        </AreaChart>
      </div>
      <table className="metric-summary">
        <caption className="visually-hidden">{spec.title}: latest, average and highest</caption>
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Series</span>
            </th>
            <th scope="col">Now</th>
            <th scope="col">Avg</th>
            <th scope="col">Max</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.field}>
              <th scope="row">
                <span className={`metric-swatch metric-tone-${row.tone}`} aria-hidden="true" />
                {row.label}
              </th>
              <td>{show(row.now)}</td>
              <td>{show(row.avg)}</td>
              <td>{show(row.max)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  )
}

/** A point with no neighbour draws no line: it shows as a dot instead. */
function LoneDot({
  cx,
  cy,
  index,
  line: { field, tone },
  samples,
}: DotItemDotProps & { line: ChartSpec['lines'][number]; samples: MetricSample[] }) {
  const lone =
    samples[index]?.[field] != null &&
    samples[index - 1]?.[field] == null &&
    samples[index + 1]?.[field] == null
  return lone ? <circle className={`metric-dot metric-tone-${tone}`} cx={cx} cy={cy} r={2.5} /> : null
}

function ChartTooltip({ active, payload, label, spec }: TooltipContentProps & { spec: ChartSpec }) {
  if (!active || payload.length === 0) return null
  return (
    <div className="metric-tooltip">
      <p className="metric-tooltip-time">{timeWithSeconds.format(Number(label))}</p>
      {payload.map((entry) => (
        <p key={String(entry.dataKey)}>
          {entry.name}: <strong>{typeof entry.value === 'number' ? spec.format(entry.value) : '—'}</strong>
        </p>
      ))}
    </div>
  )
}

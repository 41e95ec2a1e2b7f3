import type { MetricSample } from '../../../src-main/api/contract'
import { formatBytes } from '../ui/format'

type Field = Exclude<keyof MetricSample, 'ts'>

/** One chart: its lines (each a field of the samples, drawn in a token colour) and how values read. */
export interface ChartSpec {
  id: 'cpu' | 'memory' | 'network' | 'disk'
  title: string
  /** What the numbers mean, under the title. */
  unit: string
  lines: { field: Field; label: string; tone: 1 | 2 }[]
  /** The line's ceiling (memory limit, disk size): the y axis ends there, the summary names it. */
  total?: Field
  format: (value: number) => string
  /** Shorter, for the axis. */
  tick: (value: number) => string
}

const percent = (value: number): string => `${value < 10 ? value.toFixed(1) : Math.round(value)} %`
/** formatBytes with `B` for bytes: rates are read in a narrow table. */
const shortBytes = (value: number): string => formatBytes(value).replace(' bytes', ' B')
const perSecond = (value: number): string => `${shortBytes(value)}/s`

const BINARY = ['', 'K', 'M', 'G', 'T', 'P']
/** 25165824000 → "23G": for axis ticks. */
function compactBytes(bytes: number): string {
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < BINARY.length - 1) {
    value /= 1024
    unit++
  }
  return `${Number(value.toFixed(value >= 10 || unit === 0 ? 0 : 1))}${BINARY[unit]}`
}

const cpu = (unit: string): ChartSpec => ({
  id: 'cpu',
  title: 'CPU',
  unit,
  lines: [{ field: 'cpu', label: 'CPU', tone: 1 }],
  format: percent,
  tick: (value) => `${Math.round(value)}%`,
})
const memory: ChartSpec = {
  id: 'memory',
  title: 'Memory',
  unit: 'used',
  lines: [{ field: 'memUsed', label: 'Used', tone: 1 }],
  total: 'memTotal',
  format: shortBytes,
  tick: compactBytes,
}
const network: ChartSpec = {
  id: 'network',
  title: 'Network',
  unit: 'per second',
  lines: [
    { field: 'netRx', label: 'Received', tone: 1 },
    { field: 'netTx', label: 'Sent', tone: 2 },
  ],
  format: perSecond,
  tick: (value) => `${compactBytes(value)}/s`,
}
const disk: ChartSpec = {
  id: 'disk',
  title: 'Disk',
  unit: 'used, Docker’s file system',
  lines: [{ field: 'diskUsed', label: 'Used', tone: 1 }],
  total: 'diskTotal',
  format: shortBytes,
  tick: compactBytes,
}

export const SERVER_CHARTS: ChartSpec[] = [cpu('% of all cores'), memory, network, disk]
export const APP_CHARTS: ChartSpec[] = [cpu('% of one core, all containers'), memory, network]

export interface Summary {
  now: number | null
  avg: number | null
  max: number | null
}

/** The latest, the average and the highest value of `field` in the window (null: none measured). */
export function summarize(samples: MetricSample[], field: Field): Summary {
  const values = samples.map((s) => s[field]).filter((v): v is number => v !== null)
  if (values.length === 0) return { now: null, avg: null, max: null }
  return {
    now: values.at(-1) ?? null,
    avg: values.reduce((a, b) => a + b, 0) / values.length,
    max: Math.max(...values),
  }
}

/** The latest known value of `field`, e.g. the disk's size. */
export const latest = (samples: MetricSample[], field: Field): number | null =>
  samples.findLast((s) => s[field] !== null)?.[field] ?? null

/** Null points where samples are missing (nothing collected then), so the lines break there. */
export function withGaps(samples: MetricSample[], stepS: number): MetricSample[] {
  const out: MetricSample[] = []
  const gapMs = 3 * stepS * 1000
  for (const sample of samples) {
    const before = out.at(-1)
    if (before && sample.ts - before.ts > gapMs) out.push(blank(before.ts + stepS * 1000))
    out.push(sample)
  }
  return out
}

const blank = (ts: number): MetricSample => ({
  ts,
  cpu: null,
  memUsed: null,
  memTotal: null,
  netRx: null,
  netTx: null,
  diskUsed: null,
  diskTotal: null,
})

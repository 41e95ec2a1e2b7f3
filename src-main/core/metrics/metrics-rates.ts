import type { MetricSample } from '../../api/contract'
import type { ContainerReading, HostReading, Snapshot } from './metrics-parse'

export interface Samples {
  /** Null when the snapshot had no host line. */
  server: MetricSample | null
  /** Per app with running containers, their sum. */
  apps: Map<string, MetricSample>
}

/** Bytes per second between two cumulative counters; null without both, or when the counter restarted. */
export function rate(
  before: number | null | undefined,
  after: number | null,
  seconds: number,
): number | null {
  if (before == null || after == null || after < before || seconds <= 0) return null
  return (after - before) / seconds
}

/** Busy share of all CPUs between two readings of /proc/stat, in %. */
export function hostCpu(before: HostReading | null, after: HostReading): number | null {
  if (!before) return null
  const total = after.cpuTotal - before.cpuTotal
  const idle = after.cpuIdle - before.cpuIdle
  if (total <= 0 || idle < 0 || idle > total) return null
  return (100 * (total - idle)) / total
}

/** Sum of the values that were measured; null when none was. */
function sum(values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null)
  return known.length === 0 ? null : known.reduce((a, b) => a + b, 0)
}

function max(values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null)
  return known.length === 0 ? null : Math.max(...known)
}

/**
 * The samples `current` yields, with rates from `previous` (the snapshot before it, or null at the
 * start of a stream). An app's containers add up: during a deploy the old and the new one both count.
 */
export function toSamples(previous: Snapshot | null, current: Snapshot): Samples {
  const seconds = previous ? (current.at - previous.at) / 1000 : 0
  const host = current.host
  const before = previous?.host ?? null
  const server: MetricSample | null = host && {
    ts: current.at,
    cpu: hostCpu(before, host),
    memUsed: host.memTotal - host.memAvailable,
    memTotal: host.memTotal,
    netRx: rate(before?.netRx, host.netRx, seconds),
    netTx: rate(before?.netTx, host.netTx, seconds),
    diskUsed: host.diskUsed,
    diskTotal: host.diskTotal,
  }

  const earlier = new Map(previous?.containers.map((c) => [c.id, c]))
  const byApp = new Map<string, ContainerReading[]>()
  for (const container of current.containers) {
    byApp.set(container.app, [...(byApp.get(container.app) ?? []), container])
  }
  const apps = new Map<string, MetricSample>()
  for (const [app, containers] of byApp) {
    apps.set(app, {
      ts: current.at,
      cpu: sum(containers.map((c) => c.cpu)),
      memUsed: sum(containers.map((c) => c.memUsed)),
      memTotal: max(containers.map((c) => c.memLimit)),
      netRx: sum(containers.map((c) => rate(earlier.get(c.id)?.netRx, c.netRx, seconds))),
      netTx: sum(containers.map((c) => rate(earlier.get(c.id)?.netTx, c.netTx, seconds))),
      diskUsed: null,
      diskTotal: null,
    })
  }
  return { server, apps }
}

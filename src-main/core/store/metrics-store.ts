import type { MetricSample, MetricsRange } from '../../api/contract'
import type { Db } from './database'

/** How far back each range looks, and the points it is averaged into (about 300 each). */
export const RANGES: Record<MetricsRange, { seconds: number; stepS: number }> = {
  '15m': { seconds: 15 * 60, stepS: 10 },
  '1h': { seconds: 60 * 60, stepS: 10 },
  '6h': { seconds: 6 * 60 * 60, stepS: 60 },
  '24h': { seconds: 24 * 60 * 60, stepS: 300 },
}

/** Raw samples are kept this long, then averaged into minutes; nothing is kept longer than a day. */
export const RAW_KEEP_MS = 60 * 60 * 1000
export const KEEP_MS = 24 * 60 * 60 * 1000
const MINUTE_MS = 60_000

interface Row {
  ts: number
  cpu: number | null
  mem_used: number | null
  mem_total: number | null
  net_rx: number | null
  net_tx: number | null
  disk_used: number | null
  disk_total: number | null
}

const fromRow = (row: Row): MetricSample => ({
  ts: row.ts,
  cpu: row.cpu,
  memUsed: row.mem_used,
  memTotal: row.mem_total,
  netRx: row.net_rx,
  netTx: row.net_tx,
  diskUsed: row.disk_used,
  diskTotal: row.disk_total,
})

/** Averages of the columns into buckets of @bucket ms; totals take the largest. */
const AVERAGES = `avg(cpu) AS cpu, avg(mem_used) AS mem_used, max(mem_total) AS mem_total, avg(net_rx) AS net_rx,
  avg(net_tx) AS net_tx, avg(disk_used) AS disk_used, max(disk_total) AS disk_total`

/** The samples table (migration "metric_samples"): write, read a range, roll up and prune. */
export function createMetricsStore(db: Db) {
  const insert = db.prepare(
    `INSERT INTO metric_samples (server_id, app, ts, step_s, cpu, mem_used, mem_total, net_rx, net_tx, disk_used, disk_total)
     VALUES (@serverId, @app, @ts, @stepS, @cpu, @memUsed, @memTotal, @netRx, @netTx, @diskUsed, @diskTotal)`,
  )
  const read = db.prepare<{ serverId: string; app: string | null; since: number; bucket: number }, Row>(
    `SELECT CAST(ts / @bucket AS INTEGER) * @bucket AS ts, ${AVERAGES} FROM metric_samples
     WHERE server_id = @serverId AND app IS @app AND ts >= @since GROUP BY 1 ORDER BY 1`,
  )
  const rollUp = db.prepare<{ cutoff: number }>(
    `INSERT INTO metric_samples (server_id, app, ts, step_s, cpu, mem_used, mem_total, net_rx, net_tx, disk_used, disk_total)
     SELECT server_id, app, (ts / ${MINUTE_MS}) * ${MINUTE_MS}, 60, ${AVERAGES} FROM metric_samples
     WHERE step_s < 60 AND ts < @cutoff GROUP BY server_id, app, ts / ${MINUTE_MS}`,
  )
  const dropRaw = db.prepare<{ cutoff: number }>(
    'DELETE FROM metric_samples WHERE step_s < 60 AND ts < @cutoff',
  )
  const dropOld = db.prepare<{ oldest: number }>('DELETE FROM metric_samples WHERE ts < @oldest')
  const dropOrphans = db.prepare('DELETE FROM metric_samples WHERE server_id NOT IN (SELECT id FROM servers)')

  return {
    /** One collection tick: the server's sample (app null) and its apps', `stepS` seconds apart. */
    add: db.transaction(
      (serverId: string, samples: { app: string | null; sample: MetricSample }[], stepS: number): void => {
        for (const { app, sample } of samples) insert.run({ serverId, app, stepS, ...sample })
      },
    ),

    /** The series of a server (app null) or of one of its apps, averaged for `range`, oldest first. */
    history(serverId: string, app: string | null, range: MetricsRange, now = Date.now()) {
      const { seconds, stepS } = RANGES[range]
      const rows = read.all({ serverId, app, since: now - seconds * 1000, bucket: stepS * 1000 })
      return { stepS, samples: rows.map(fromRow) }
    },

    /**
     * Averages raw samples older than an hour into one row per minute, and deletes what is older than
     * a day or belongs to a server that was removed. The cutoff is a whole minute, so a minute is
     * rolled up once, whole.
     */
    maintain: db.transaction((now: number = Date.now()) => {
      const cutoff = Math.floor((now - RAW_KEEP_MS) / MINUTE_MS) * MINUTE_MS
      const pruned = dropOld.run({ oldest: now - KEEP_MS }).changes + dropOrphans.run().changes
      const rolled = rollUp.run({ cutoff }).changes
      dropRaw.run({ cutoff })
      return { rolled, pruned }
    }),
  }
}

export type MetricsStore = ReturnType<typeof createMetricsStore>

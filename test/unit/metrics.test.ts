import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { MetricSample } from '../../src-main/api/contract'
import {
  parseDockerStats,
  parsePercent,
  parseSize,
  snapshotReader,
  type Snapshot,
} from '../../src-main/core/metrics/metrics-parse'
import { hostCpu, rate, toSamples } from '../../src-main/core/metrics/metrics-rates'
import { createMetricsStore } from '../../src-main/core/store/metrics-store'
import { openDatabase } from '../../src-main/core/store/database'
import { tempHome } from '../support/temp-home'
import { UserError } from '../../src-main/core/errors'
import type { Metrics } from '../../src-main/core/metrics/metrics'
import { metricsApi } from '../../src-main/core/metrics/metrics-api'

test('docker sizes parse in binary and decimal units; "--" and junk are not measured', () => {
  assert.equal(parseSize('0B'), 0)
  assert.equal(parseSize('736B'), 736)
  assert.equal(parseSize('1.11kB'), 1110)
  assert.equal(parseSize('12.3MiB'), 12.3 * 1024 * 1024)
  assert.equal(parseSize(' 1.2GiB '), 1.2 * 1024 ** 3)
  assert.equal(parseSize('2.5MB'), 2_500_000)
  assert.equal(parseSize('1e+03B'), 1000)
  assert.equal(parseSize('--'), null)
  assert.equal(parseSize('12 parsecs'), null)
  assert.equal(parseSize(''), null)
  assert.equal(parsePercent('32.14%'), 32.14)
  assert.equal(parsePercent('--'), null)
  assert.equal(parsePercent('12'), null)
})

test('a docker stats line becomes a reading; a container not yet measured has nulls', () => {
  const line =
    '{"BlockIO":"0B / 0B","CPUPerc":"3.50%","Container":"c89d654d4069","ID":"c89d654d4069","MemPerc":"0.00%",' +
    '"MemUsage":"324KiB / 23.54GiB","Name":"web","NetIO":"1.5kB / 648B","PIDs":"1"}'
  assert.deepEqual(parseDockerStats(line), {
    id: 'c89d654d4069',
    cpu: 3.5,
    memUsed: 324 * 1024,
    memLimit: 23.54 * 1024 ** 3,
    netRx: 1500,
    netTx: 648,
  })
  assert.deepEqual(
    parseDockerStats('{"Container":"abc","CPUPerc":"--","MemUsage":"-- / --","NetIO":"-- / --"}'),
    { id: 'abc', cpu: null, memUsed: null, memLimit: null, netRx: null, netTx: null },
  )
  assert.equal(parseDockerStats('{"CPUPerc":"1%"}'), null)
  assert.equal(parseDockerStats('not json'), null)
})

test('the stream reader assembles samples at "end", joining stats to apps by container', () => {
  const snapshots: Snapshot[] = []
  let clock = 1000
  const read = snapshotReader(
    (s) => snapshots.push(s),
    () => clock,
  )
  for (const line of [
    'host\t1000\t600\t8000\t6000\t100000\t40000\t5000\t7000',
    'app\taaa\tweb',
    'app\tbbb\tapi',
    'stats\t{"Container":"aaa","CPUPerc":"50.00%","MemUsage":"1MiB / 2GiB","NetIO":"1kB / 2kB"}',
    // A container that is not one of the listed apps (or a torn line) is left out.
    'stats\t{"Container":"zzz","CPUPerc":"1.00%","MemUsage":"1MiB / 2GiB","NetIO":"1kB / 2kB"}',
    'stats\t{"Container":"bbb"',
    'something the script never prints',
    'end',
    'host\tgarbage',
    'end',
  ]) {
    read(line)
    clock += 1
  }
  assert.equal(snapshots.length, 2)
  const [first, second] = snapshots
  assert.equal(first?.at, 1007)
  assert.deepEqual(first?.host, {
    cpuTotal: 1000,
    cpuIdle: 600,
    memTotal: 8000,
    memAvailable: 6000,
    diskTotal: 100000,
    diskUsed: 40000,
    netRx: 5000,
    netTx: 7000,
  })
  assert.deepEqual(
    first?.containers.map((c) => [c.app, c.id, c.cpu]),
    [['web', 'aaa', 50]],
  )
  assert.deepEqual(second, { at: 1009, host: null, containers: [] })

  // "-" (no disk, no network interface) is "not measured", not zero.
  const partial: Snapshot[] = []
  const readPartial = snapshotReader((s) => partial.push(s))
  readPartial('host\t1\t1\t8000\t6000\t-\t-\t-\t-')
  readPartial('end')
  assert.equal(partial[0]?.host?.diskTotal, null)
  assert.equal(partial[0]?.host?.netRx, null)
})

const host = (fields: Partial<NonNullable<Snapshot['host']>> = {}): NonNullable<Snapshot['host']> => ({
  cpuTotal: 1000,
  cpuIdle: 500,
  memTotal: 8e9,
  memAvailable: 6e9,
  diskTotal: 100e9,
  diskUsed: 40e9,
  netRx: 1e6,
  netTx: 2e6,
  ...fields,
})
const container = (fields: Partial<Snapshot['containers'][number]>): Snapshot['containers'][number] => ({
  id: 'aaa',
  app: 'web',
  cpu: 10,
  memUsed: 100e6,
  memLimit: 512e6,
  netRx: 1000,
  netTx: 2000,
  ...fields,
})

test('rates come from counters between samples; a restarted counter or a first sample has none', () => {
  assert.equal(rate(1000, 3000, 10), 200)
  assert.equal(rate(3000, 1000, 10), null)
  assert.equal(rate(null, 1000, 10), null)
  assert.equal(rate(1000, 2000, 0), null)
  assert.equal(hostCpu(host(), host({ cpuTotal: 1400, cpuIdle: 600 })), 75)
  assert.equal(hostCpu(null, host()), null)
  assert.equal(hostCpu(host(), host()), null)

  const before: Snapshot = {
    at: 10_000,
    host: host(),
    containers: [container({}), container({ id: 'old', app: 'api', netRx: 9e9 })],
  }
  const after: Snapshot = {
    at: 20_000,
    host: host({ cpuTotal: 3000, cpuIdle: 1000, netRx: 1e6 + 50_000, netTx: 2e6 }),
    containers: [
      container({ netRx: 11_000, netTx: 2000 }),
      // During a deploy the old and the new container both run: the app is their sum.
      container({ id: 'new', cpu: 5, memUsed: 50e6, memLimit: 1e9, netRx: 500 }),
      // The api container restarted under the same ID: its counters went back, no rate.
      container({ id: 'old', app: 'api', netRx: 10 }),
    ],
  }
  const first = toSamples(null, before)
  assert.equal(first.server?.cpu, null)
  assert.equal(first.server?.netRx, null)
  assert.equal(first.server?.memUsed, 2e9)
  assert.equal(first.apps.get('web')?.netRx, null)
  assert.equal(first.apps.get('web')?.cpu, 10)

  const { server, apps } = toSamples(before, after)
  assert.deepEqual(server, {
    ts: 20_000,
    cpu: 75,
    memUsed: 2e9,
    memTotal: 8e9,
    netRx: 5000,
    netTx: 0,
    diskUsed: 40e9,
    diskTotal: 100e9,
  })
  assert.deepEqual(apps.get('web'), {
    ts: 20_000,
    cpu: 15,
    memUsed: 150e6,
    memTotal: 1e9,
    netRx: 1000,
    netTx: 0,
    diskUsed: null,
    diskTotal: null,
  })
  assert.equal(apps.get('api')?.netRx, null)
})

const sample = (ts: number, cpu: number): MetricSample => ({
  ts,
  cpu,
  memUsed: cpu * 10,
  memTotal: 1000,
  netRx: null,
  netTx: null,
  diskUsed: null,
  diskTotal: null,
})

test('the store keeps 10 s samples for an hour, minutes for a day, and prunes the rest', (t) => {
  const db = openDatabase(tempHome(t))
  t.after(() => db.close())
  db.prepare(
    `INSERT INTO servers (id, name, host, port, user, auth, key_path, host_key_fingerprint, created_at)
     VALUES ('s1', 'edge-1', 'h', 22, 'u', 'agent', NULL, NULL, 'now')`,
  ).run()
  const store = createMetricsStore(db)
  const now = Date.UTC(2025, 0, 2, 12, 0, 0)
  const minute = 60_000
  const count = (where = '1'): number =>
    (db.prepare(`SELECT count(*) AS n FROM metric_samples WHERE ${where}`).get() as { n: number }).n

  // Two hours of 10 s samples for the server and an app, a sample from 25 hours ago, and one of a
  // server that was removed.
  for (let ts = now - 2 * 60 * minute; ts < now; ts += 10_000) {
    const cpu = (ts / 10_000) % 6 // 0..5 within each minute: averages to 2.5
    store.add(
      's1',
      [
        { app: null, sample: sample(ts, cpu) },
        { app: 'web', sample: sample(ts, 1) },
      ],
      10,
    )
  }
  store.add('s1', [{ app: null, sample: sample(now - 25 * 60 * minute, 99) }], 10)
  store.add('gone', [{ app: null, sample: sample(now - minute, 1) }], 10)
  assert.equal(count(), 2 * 720 + 2)

  const { rolled, pruned } = store.maintain(now)
  // The hour before the last one: 60 minutes for each of the two series.
  assert.equal(rolled, 120)
  assert.equal(pruned, 2)
  assert.equal(count('step_s = 60'), 120)
  assert.equal(count('step_s = 10'), 2 * 360)
  assert.equal(count(`ts < ${now - 24 * 60 * minute}`), 0)
  const minuteRows = db
    .prepare('SELECT DISTINCT cpu, mem_used FROM metric_samples WHERE step_s = 60 AND app IS NULL')
    .all()
  assert.deepEqual(minuteRows, [{ cpu: 2.5, mem_used: 25 }])
  // Running it again changes nothing: each minute was rolled up once, whole.
  assert.deepEqual(store.maintain(now), { rolled: 0, pruned: 0 })

  // Ranges read the server and the app apart, averaged into their step.
  const quarter = store.history('s1', null, '15m', now)
  assert.equal(quarter.stepS, 10)
  assert.equal(quarter.samples.length, 90)
  assert.deepEqual(
    quarter.samples.slice(0, 2).map((s) => s.cpu),
    [((now - 15 * minute) / 10_000) % 6, ((now - 15 * minute) / 10_000 + 1) % 6],
  )
  const day = store.history('s1', null, '24h', now)
  assert.equal(day.stepS, 300)
  assert.equal(day.samples.length, 24) // two hours of five-minute points
  assert.ok(day.samples.every((s) => Math.abs((s.cpu ?? 0) - 2.5) < 1e-9))
  assert.ok(day.samples.every((s, i, all) => i === 0 || s.ts - (all[i - 1]?.ts ?? 0) === 300_000))
  const app = store.history('s1', 'web', '6h', now)
  assert.equal(app.samples.length, 120)
  assert.ok(app.samples.every((s) => s.cpu === 1 && s.memTotal === 1000))
  assert.deepEqual(store.history('s1', 'other', '6h', now).samples, [])
})

test("an app's metrics for one service are refused, never answered with the whole app's", async () => {
  // The metrics service stands in: this checks the API's refusal, before any series is followed.
  const followed: unknown[] = []
  const metrics = { follow: async (series: unknown) => void followed.push(series) } as unknown as Metrics
  const api = metricsApi(metrics)
  assert.throws(
    () => api['metrics:app']({ name: 'shop', range: '1h', service: 'db' }, new AbortController().signal),
    (error: unknown) =>
      error instanceof UserError && error.code === 'INVALID_OPTION' && error.field === 'service',
  )
  assert.deepEqual(followed, [])
  // The stream starts its series once read; the stand-in ends it at once.
  for await (const event of api['metrics:app']({ name: 'shop', range: '1h' }, new AbortController().signal))
    assert.fail(`no event expected: ${JSON.stringify(event)}`)
  assert.deepEqual(followed, [{ app: 'shop' }], 'without a service, the app is followed')
})

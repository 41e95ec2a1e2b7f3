/**
 * Metrics against the real test server: the stream runs in ONE exec channel of the server's pooled
 * connection, its samples are plausible, stored and read back, it comes back by itself after the
 * connection drops, stops when nobody watches, and old samples are pruned.
 */
import assert from 'node:assert/strict'
import { availableParallelism } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import { test } from 'node:test'
import type { MetricSample, MetricsEvent } from '../../src-main/api/contract'
import { createMetrics } from '../../src-main/core/metrics/metrics'
import { ScriptRunner } from '../../src-main/core/remote/script-runner'
import { sh } from '../../src-main/core/shell/quote'
import { openDatabase } from '../../src-main/core/store/database'
import type { Target } from '../../src-main/core/targets/target'
import { APP_ROOT } from '../support/temp-home'
import { hostClient } from '../support/host-client'
import { testCore } from './core-support'
import { provisionTestbed } from './provision-support'

/** Waits until `check` holds (or fails the test after `ms`): for what arrives over the network. */
async function until(what: string, check: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`)
    await sleep(100)
  }
}

const samplesOf = (events: MetricsEvent[]): MetricSample[] =>
  events.flatMap((e) => (e.type === 'sample' ? [e.sample] : []))
const statesOf = (events: MetricsEvent[]): string[] =>
  events.flatMap((e) => (e.type === 'status' ? [e.state] : []))

test('metrics: one streaming exec channel, plausible samples, stored, resumed after a drop', async (t) => {
  const bed = provisionTestbed(t)
  if (!bed) return
  const { core, serverName, home } = await testCore(t, bed)
  const server = core.servers.get(serverName)
  core.apps.create({ name: 'web', server: serverName, source: { kind: 'folder', path: home } })

  // An app container as a deploy labels it (remote-scripts/deploy-run.sh), busy now and then, and a
  // container of another prefix that must not count.
  const name = `${bed.prefix}-web`
  const other = `${bed.prefix}-other`
  bed.cleanup(sh`docker rm -f ${name} ${other} >/dev/null 2>&1; true`)
  const busy = 'while :; do i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; sleep 1; done'
  await bed.run(
    sh`docker run -d --name ${name} --label ${`dev.helvetia.prefix=${bed.prefix}`} --label dev.helvetia.app=web ` +
      sh`${bed.server.images.busybox} sh -c ${busy} >/dev/null && ` +
      sh`docker run -d --name ${other} --label ${`dev.helvetia.prefix=${bed.prefix}-x`} --label dev.helvetia.app=web ` +
      sh`${bed.server.images.busybox} sleep 600 >/dev/null`,
  )

  // The scripts are on the server once anything ran there (as they would be after `server add`'s
  // check); from then on every exec channel on the connection is counted.
  await core.servers.check(serverName)
  const commands: string[] = []
  const counting = (target: Target): Target => ({
    kind: target.kind,
    exec: (command, options) => {
      commands.push(command)
      return target.exec(command, options)
    },
  })
  const db = openDatabase(home)
  t.after(() => db.close())
  const metrics = createMetrics({
    db,
    servers: { get: core.servers.get, targetFor: (s) => counting(core.servers.targetFor(s)) },
    apps: core.apps,
    scripts: new ScriptRunner({ scriptsDir: `${APP_ROOT}/remote-scripts` }),
    prefix: bed.prefix,
    intervalS: 1,
    lingerMs: 0,
    retryMs: { first: 200, last: 1000 },
  })
  t.after(() => metrics.close())
  // Streams of this test's prefix, not counting a subshell the script forks for a moment (same
  // command line, parent a stream too). [m]: the pattern does not match the sh that runs ps.
  const streams = sh`ps -eo pid=,ppid=,args= | awk -v re=${`[m]etrics-stream.sh --prefix ${bed.prefix} `} '
    $0 ~ re { parent[$1] = $2 }
    END { n = 0; for (p in parent) if (!(parent[p] in parent)) n++; print n }'`
  const running = async (): Promise<number> => Number((await bed.run(streams)).trim())

  const watching = new AbortController()
  const serverEvents: MetricsEvent[] = []
  const appEvents: MetricsEvent[] = []
  const following = Promise.all([
    metrics.follow({ server: serverName }, '15m', (e) => serverEvents.push(e), watching.signal),
    metrics.follow({ app: 'web' }, '15m', (e) => appEvents.push(e), watching.signal),
  ])
  assert.deepEqual(serverEvents[0], { type: 'history', range: '15m', stepS: 10, samples: [] })
  await until('4 server samples and 3 app samples', () => {
    return samplesOf(serverEvents).length >= 4 && samplesOf(appEvents).length >= 3
  })

  // Two watchers, several samples: one command, in one channel, one process on the server.
  assert.equal(commands.length, 1, commands.join('\n'))
  assert.match(commands[0] ?? '', /metrics-stream\.sh/)
  assert.equal(await running(), 1)
  assert.deepEqual(statesOf(serverEvents), ['connecting', 'live'])

  const cores = availableParallelism() // the test server is this machine
  for (const s of samplesOf(serverEvents).slice(1)) {
    assert.ok(s.cpu !== null && s.cpu >= 0 && s.cpu <= 100, `server cpu ${s.cpu}`)
    assert.ok(s.memUsed !== null && s.memTotal !== null && s.memUsed > 0 && s.memUsed < s.memTotal)
    assert.ok(s.diskUsed !== null && s.diskTotal !== null && s.diskUsed > 0 && s.diskUsed < s.diskTotal)
  }
  for (const s of samplesOf(appEvents)) {
    assert.ok(s.cpu !== null && s.cpu >= 0 && s.cpu <= 100 * cores, `app cpu ${s.cpu}`)
    assert.ok(s.memUsed !== null && s.memUsed > 0, `app memory ${s.memUsed}`)
    assert.ok(s.memTotal !== null && s.memTotal >= s.memUsed)
    assert.equal(s.diskUsed, null)
  }
  const appRates = samplesOf(appEvents).slice(1)
  assert.ok(appRates.every((s) => s.netRx !== null && s.netRx >= 0 && s.netTx !== null && s.netTx >= 0))

  // Stored as they arrived, and read back for a range (averaged into its 10 s points).
  const rows = db.prepare<[string, string | null], { n: number }>(
    'SELECT count(*) AS n FROM metric_samples WHERE server_id = ? AND app IS ?',
  )
  assert.ok((rows.get(server.id, null)?.n ?? 0) >= samplesOf(serverEvents).length)
  assert.ok((rows.get(server.id, 'web')?.n ?? 0) >= samplesOf(appEvents).length)
  const storedServer = metrics.store.history(server.id, null, '15m').samples
  const storedApp = metrics.store.history(server.id, 'web', '1h').samples
  assert.ok(storedServer.length >= 1 && storedApp.length >= 1)
  assert.ok(storedServer.every((s) => s.memUsed !== null && s.memUsed > 0))
  assert.ok(storedApp.every((s) => s.memUsed !== null && s.memUsed > 0))

  // The connection drops (its sshd process on the server dies): the stream comes back by itself, on
  // the reconnected connection, again in one channel.
  const before = samplesOf(serverEvents).length
  await bed.run(sh`kill $(ps -o ppid= -p $(pgrep -f ${`[m]etrics-stream.sh --prefix ${bed.prefix} `}))`)
  await until('the stream to resume', () => samplesOf(serverEvents).length >= before + 3)
  assert.deepEqual(statesOf(serverEvents), ['connecting', 'live', 'retrying', 'connecting', 'live'])
  const dropped = serverEvents.find((e) => e.type === 'status' && e.state === 'retrying')
  assert.equal(dropped?.type === 'status' && dropped.error?.code, 'SSH_CONNECTION_LOST')
  assert.equal(commands.length, 2)
  let count = 0
  for (let i = 0; i < 50 && (count = await running()) !== 1; i++) await sleep(200)
  assert.equal(count, 1)

  // Nobody watches any more: the stream on the server ends.
  watching.abort()
  await following
  for (let i = 0; i < 50 && (count = await running()) !== 0; i++) await sleep(200)
  assert.equal(count, 0)

  // Older than a day is pruned; the rest stays.
  const day = 24 * 60 * 60 * 1000
  const first = storedServer[0]
  assert.ok(first)
  metrics.store.add(server.id, [{ app: null, sample: { ...first, ts: Date.now() - day - 60_000 } }], 10)
  const older = db.prepare('SELECT count(*) AS n FROM metric_samples WHERE ts < ?')
  assert.deepEqual(older.get(Date.now() - day), { n: 1 })
  assert.ok(metrics.store.maintain(Date.now()).pruned >= 1)
  assert.deepEqual(older.get(Date.now() - day), { n: 0 })
  assert.ok(metrics.store.history(server.id, null, '15m').samples.length >= storedServer.length)
})

test('metrics API: the server stream gives its history, then its state and live samples', async (t) => {
  const bed = provisionTestbed(t)
  if (!bed) return
  const { core } = await testCore(t, bed)
  const watching = new AbortController()
  const events: MetricsEvent[] = []
  for await (const event of core.api['metrics:server'](
    { server: 'test-server', range: '6h' },
    watching.signal,
  )) {
    events.push(event)
    if (event.type === 'sample') break
  }
  watching.abort()
  assert.deepEqual(
    events.map((e) => (e.type === 'status' ? e.state : e.type)),
    ['history', 'connecting', 'live', 'sample'],
  )
  assert.equal(events[0]?.type === 'history' && events[0].stepS, 60)
  await assert.rejects(
    async () => {
      for await (const _ of core.api['metrics:app']({ name: 'nope' }, new AbortController().signal));
    },
    { code: 'APP_NOT_FOUND' },
  )
  // A range the contract does not have is refused by the API host before the handler runs.
  const range = hostClient(core.api).subscribe(
    'metrics:server',
    { server: 'test-server', range: '2d' as never },
    () => {},
  )
  await assert.rejects(range.done, { code: 'INVALID_INPUT', field: 'range' })
})

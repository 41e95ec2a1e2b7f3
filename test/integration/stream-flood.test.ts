/**
 * Every streaming method of the contract, flooded to a slow reader through the real API host and
 * client, holds a bounded amount: the stream adapter (BoundedStream) each handler returns is read for
 * what it held at most (`stats.peak`) against what its producer put out (`stats.pushed`).
 *
 * Real producers wherever one can flood: a build that prints 1.1 MB (apps:deploy), its log replayed
 * (apps:deployment-log), a container that prints 1.1 MB while followed (apps:logs), `yes` in a terminal
 * on the server (terminals:open), a rollback whose log on the server gets 1.1 MB appended while the
 * rollback waits for the app's lock (apps:rollback: a rollback builds nothing, so its own log is short).
 * Where none can, the handler runs over its real dependency set to emit fast, and the case says how:
 * change events fired in a loop (apps:watch, servers:watch, push:watch-deliveries), a relay holding
 * hundreds of events that another computer's hook received (push:watch), a metrics
 * collection retrying an unreachable server without pause (metrics:*), the GitHub stand-in
 * (github:sign-in, two items by nature), and the real scripts with 1.1 MB of output put first into
 * provision.sh (servers:provision: on a host already set up it prints a few lines; on a fresh one,
 * apt's output, which takes minutes: provision-fresh.test.ts), relay-install.sh (push:install-relay:
 * it keeps the relay's build output in a file) and db-create.sh (databases:create: an image pull's
 * output, where the image is not on the server yet).
 */
import assert from 'node:assert/strict'
import { cp, readFile, symlink, writeFile } from 'node:fs/promises'
import { mkdtempSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { createApiClient, type ApiClient } from '../../src-main/api/client'
import {
  contract,
  type ApiHandlers,
  type InputOf,
  type ItemOf,
  type StreamMethod,
} from '../../src-main/api/contract'
import { serveApi } from '../../src-main/api/host'
import { BoundedStream } from '../../src-main/core/bounded-stream'
import { databaseAccessApi } from '../../src-main/core/databases/database-access-api'
import { createDatabaseLinks } from '../../src-main/core/databases/database-links'
import { createMetrics } from '../../src-main/core/metrics/metrics'
import { metricsApi } from '../../src-main/core/metrics/metrics-api'
import { loadScriptBundle } from '../../src-main/core/remote/script-bundle'
import { scriptsFolder, ScriptRunner } from '../../src-main/core/remote/script-runner'
import { sh } from '../../src-main/core/shell/quote'
import { openDatabase } from '../../src-main/core/store/database'
import { createServerStore } from '../../src-main/core/store/server-store'
import type { TerminalSession } from '../../src-main/core/terminals/terminals'
import { pipe } from '../support/api-pipe'
import { startGitHubStandIn } from '../support/github-standin'
import { WATCH_HIGH_WATER } from '../../src-main/core/push/push-api'
import { postWebhook, pushPayload, testRelay } from '../support/relay'
import { APP_ROOT } from '../support/temp-home'
import { coreTestbed, testCore } from './core-support'
import { umamiStandIns } from './catalog-support'
import { holdDeployLock } from './deploy-support'
import { ownVault, useStandIn } from './github-support'
import { freePorts } from './provision-support'

const STREAMING = Object.entries(contract)
  .filter(([, spec]) => spec.kind === 'stream')
  .map(([method]) => method as StreamMethod)
  .sort()

/** The methods a case below floods; the first test fails when the contract has one more. */
const FLOODED: Record<StreamMethod, true> = {
  'apps:watch': true,
  'apps:deploy': true,
  'databases:create': true,
  'apps:rollback': true,
  'apps:deployment-log': true,
  'apps:logs': true,
  'catalog:upgrade': true,
  'databases:tunnel': true,
  'github:sign-in': true,
  'metrics:server': true,
  'metrics:app': true,
  'push:watch': true,
  'push:watch-deliveries': true,
  'push:install-relay': true,
  'servers:provision': true,
  'servers:watch': true,
  'terminals:open': true,
}
const flooded = new Set<StreamMethod>()

/** A line of 1000 characters, printed 1100 times: 1.1 MB, over four times a log stream's high mark. */
const LINE = '0'.repeat(1000)
const FLOOD_LINES = 1100
const FLOOD = `yes ${LINE} | head -n ${FLOOD_LINES}`

test('every streaming method of the contract has a flood case', () => {
  assert.deepEqual(STREAMING, Object.keys(FLOODED).sort())
})

/** The API served over an in-process port, each stream's adapter kept for the test to read. */
function serve(handlers: ApiHandlers) {
  const opened = new Map<string, (stream: BoundedStream<unknown>) => void>()
  const wrapped = { ...handlers } as Record<string, unknown>
  for (const method of STREAMING) {
    const handler = handlers[method] as (input: unknown, signal: AbortSignal) => AsyncIterable<unknown>
    wrapped[method] = (input: unknown, signal: AbortSignal) => {
      const stream = handler(input, signal)
      assert.ok(stream instanceof BoundedStream, `${method} streams through the bounded adapter`)
      opened.get(method)?.(stream)
      return stream
    }
  }
  const { client, host } = pipe()
  serveApi(host, wrapped as ApiHandlers)
  const api: ApiClient = createApiClient(client)

  /** Subscribes with a reader that takes `delayMs` over each item (and acknowledges only then). */
  return function read<M extends StreamMethod>(method: M, input: InputOf<M>, delayMs: number) {
    const items: ItemOf<M>[] = []
    const waiters = new Set<() => void>()
    const adapter = new Promise<BoundedStream<ItemOf<M>>>((resolve) => opened.set(method, resolve as never))
    const subscription = api.subscribe(
      method,
      input,
      async (item) => {
        items.push(item)
        for (const wake of waiters) wake()
        await sleep(delayMs)
      },
      { credit: CREDIT },
    )
    const ended = subscription.done.then(
      () => new Error(`${method} ended`),
      (error: unknown) => error,
    )
    flooded.add(method)
    return {
      items,
      stream: () => adapter,
      done: subscription.done,
      cancel: () => subscription.cancel(),
      /** Resolves once `check` holds for the items read so far; fails if the stream ends first. */
      async until(what: string, check: (items: ItemOf<M>[]) => boolean): Promise<void> {
        if (check(items)) return
        let wake!: () => void
        const woken = () => {
          if (check(items)) wake()
        }
        waiters.add(woken)
        try {
          await Promise.race([
            new Promise<void>((resolve) => (wake = resolve)),
            ended.then((error) => {
              throw new Error(`${method} waiting for ${what}: ${String(error)}`)
            }),
          ])
        } finally {
          waiters.delete(woken)
        }
      },
    }
  }
}

/**
 * What a paused stream shows: it was paused, held at most its high mark plus `slack` (one read of the
 * source, or one joined item), while its producer put out at least `times` its high mark.
 */
function assertBounded<T>(method: string, stream: BoundedStream<T>, slack: number, times = 4): void {
  const { peak, pushed, pauses } = stream.stats
  console.log(
    `${method}: held at most ${peak} of ${pushed} pushed (high mark ${stream.highWater}), paused ${pauses}×`,
  )
  assert.ok(pauses > 0, `${method}: the reader lagged and the producer was paused`)
  assert.ok(peak <= stream.highWater + slack, `${method}: held ${peak}, over ${stream.highWater} + ${slack}`)
  assert.ok(pushed >= times * stream.highWater, `${method}: the producer put out ${pushed} only`)
}

const KI = 1024
/** Items a reader lets the host send ahead of it. */
const CREDIT = 4
const logLines = (events: ItemOf<'apps:deploy'>[]) =>
  events.filter((e) => e.type === 'log' && e.line === LINE)

test('every stream stays bounded when flooded to a slow reader', async (t) => {
  const standIn = await startGitHubStandIn(t)
  standIn.deviceInterval = 1
  useStandIn(standIn)
  const vault = ownVault(t)
  const bed = await coreTestbed(t, { vault })
  if (!bed) return
  const { core } = bed
  const read = serve(core.api)

  await t.test('apps:watch and servers:watch hold the newest list only', async () => {
    for (const [method, event] of [
      ['apps:watch', 'apps'],
      ['servers:watch', 'servers'],
    ] as const) {
      const reading = read(method, undefined, 20)
      await reading.until('the first list', (lists) => lists.length === 1)
      // The real change events, fired far faster than any list can be read.
      for (let i = 0; i < 5000; i++) core.changes.emit(event)
      await reading.until('the list after the changes', (lists) => lists.length === 2)
      const stream = await reading.stream()
      reading.cancel()
      console.log(`${method}: ${stream.stats.pushed} lists read, ${stream.stats.overflows} replaced unread`)
      assert.equal(stream.stats.peak, 1, `${method} holds one list at most`)
      assert.ok(stream.stats.overflows >= 4990, `${method}: the older lists were replaced`)
    }
  })

  // A build that prints 1.1 MB, and a container that prints 1.1 MB whenever /tmp/flood appears.
  const folder = await bed.folder({
    Dockerfile: [
      `FROM ${bed.server.images.busybox}`,
      'COPY www /www',
      // The prefix makes the step new on every run: a cached step prints nothing.
      `RUN echo ${bed.prefix}; ${FLOOD}`,
      `CMD ["sh", "-c", "echo flood-ready; httpd -p 8080 -h /www; while :; do if [ -e /tmp/flood ]; then rm /tmp/flood; ${FLOOD}; fi; sleep 0.2; done"]`,
      '',
    ].join('\n'),
    'www/index.html': 'flood\n',
  })
  core.apps.create({
    name: 'flood',
    server: bed.serverName,
    source: { kind: 'folder', path: folder },
    port: 8080,
    domains: ['http://flood.test'],
    healthPath: '/index.html',
  })

  let first = ''
  await t.test('apps:deploy: a build that prints 1.1 MB', async () => {
    // One line of 1 Ki per item: 2 ms a line is 0.5 MB/s, slower than the log comes.
    const reading = read('apps:deploy', { name: 'flood' }, 2)
    await reading.done
    const done = reading.items.at(-1)
    assert.ok(done?.type === 'done' && done.deployment.status === 'succeeded', JSON.stringify(done))
    first = done.deployment.id
    assert.equal(logLines(reading.items).length, FLOOD_LINES, 'every line of the build, once')
    assertBounded('apps:deploy', await reading.stream(), 64 * KI)
  })

  await t.test('apps:deployment-log: the 1.1 MB log replayed', async () => {
    const reading = read('apps:deployment-log', { name: 'flood', id: first }, 2)
    await reading.done
    assert.equal(logLines(reading.items).length, FLOOD_LINES)
    assertBounded('apps:deployment-log', await reading.stream(), 64 * KI)
  })

  await t.test('apps:logs: a container printing 1.1 MB while followed', async () => {
    const reading = read('apps:logs', { name: 'flood', tail: 1, follow: true }, 100)
    await reading.until('the log', (batches) => batches.some((b) => b.lines.includes('flood-ready')))
    await bed.run(
      sh`docker exec $(docker ps -q --filter label=dev.helvetia.prefix=${bed.prefix} --filter label=dev.helvetia.app=flood) touch /tmp/flood`,
    )
    const count = () =>
      reading.items.reduce((n, batch) => n + batch.lines.filter((l) => l === LINE).length, 0)
    await reading.until('every flooded line', () => count() >= FLOOD_LINES)
    reading.cancel()
    assert.equal(count(), FLOOD_LINES)
    // One batch is cut at 64 Ki characters; one read of the channel adds its lines on top.
    assertBounded('apps:logs', await reading.stream(), 2 * 64 * KI)
  })

  await t.test('apps:rollback: 1.1 MB appended to its log while it waits for the lock', async () => {
    assert.equal(
      (await core.apps.deploy('flood')).status,
      'succeeded',
      'a second deployment to roll back from',
    )
    // A dead deployment's lock, its supervisor still alive: the rollback waits for it until the test
    // ends that process.
    const { holder, dir: app } = await holdDeployLock(bed, 'flood')
    const reading = read('apps:rollback', { name: 'flood', to: first }, 2)
    await reading.until('the rollback to start', (events) => events.some((e) => e.type === 'started'))
    const started = reading.items.find((e) => e.type === 'started')
    assert.ok(started?.type === 'started')
    await bed.run(`${FLOOD} >>${app}/deployments/${started.id}/log && kill ${holder}`)
    await reading.done
    const done = reading.items.at(-1)
    assert.ok(done?.type === 'done' && done.deployment.status === 'succeeded', JSON.stringify(done))
    assert.equal(logLines(reading.items).length, FLOOD_LINES)
    assertBounded('apps:rollback', await reading.stream(), 64 * KI)
  })

  await t.test('catalog:upgrade: 1.1 MB appended to its log while it waits for the lock', async () => {
    await umamiStandIns(bed)
    bed.cleanup(
      sh`docker network ls -q --filter label=com.docker.compose.project=${`${bed.prefix}-stats`} | xargs -r docker network rm >/dev/null 2>&1; true`,
    )
    const source = { kind: 'catalog', template: 'umami', version: '1.0.0' } as const
    await core.api['apps:create']({
      name: 'stats',
      server: bed.serverName,
      source,
      domains: ['http://stats.test'],
    })
    t.after(() => core.apps.remove('stats', 'delete').catch(() => {}))
    assert.equal((await core.apps.deploy('stats')).status, 'succeeded', 'the version to upgrade from')
    const { holder, dir: app } = await holdDeployLock(bed, 'stats')
    const reading = read('catalog:upgrade', { name: 'stats' }, 2)
    await reading.until('the upgrade to start', (events) => events.some((e) => e.type === 'started'))
    const started = reading.items.find((e) => e.type === 'started')
    assert.ok(started?.type === 'started')
    await bed.run(`${FLOOD} >>${app}/deployments/${started.id}/log && kill ${holder}`)
    await reading.done
    const done = reading.items.at(-1)
    assert.ok(done?.type === 'done' && done.deployment.status === 'succeeded', JSON.stringify(done))
    assert.equal(logLines(reading.items).length, FLOOD_LINES)
    assertBounded('catalog:upgrade', await reading.stream(), 64 * KI)
  })

  await t.test('terminals:open: yes in a shell on the server', async () => {
    // The terminal's own buffer (the session's output) pauses the channel; the stream takes one
    // joined event from it at a time. Both are read here.
    const sessions: TerminalSession[] = []
    const open = core.terminals.open
    core.terminals.open = async (...args) => {
      const session = await open(...args)
      sessions.push(session)
      return session
    }
    t.after(() => (core.terminals.open = open))
    const reading = read('terminals:open', { kind: 'server', server: bed.serverName, rows: 24, cols: 80 }, 20)
    await reading.until('the terminal', (events) => events.length > 0)
    const opened = reading.items[0]
    assert.ok(opened?.type === 'opened')
    await core.api['terminals:input']({
      id: opened.id,
      data: 'yes | head -c 2000000; echo flood-$((1+1))-end\n',
    })
    const text = () => reading.items.map((e) => (e.type === 'data' ? e.data : '')).join('')
    await reading.until('the end of the output', () => text().includes('flood-2-end'))
    reading.cancel()
    const stream = await reading.stream()
    const output = sessions[0]?.output
    assert.ok(output)
    console.log(
      `terminals:open: the stream held at most ${stream.stats.peak} characters of ${stream.stats.pushed}`,
    )
    assert.ok(stream.stats.peak <= 64 * KI, `one joined event at most (${stream.stats.peak})`)
    assertBounded('terminals:open (its output buffer)', output, 64 * KI)
  })

  await t.test('push:watch-deliveries reads the next log only once the last one was taken', async () => {
    const relay = await testRelay(t)
    await core.push.connectWebhook('flood', { relay: relay.relay.url, token: relay.relay.token })
    const reading = read('push:watch-deliveries', { name: 'flood' }, 50)
    await reading.until('the first log', (logs) => logs.length === 1)
    // The real change events, fired all the while the reader takes five logs.
    let fired = 0
    const firing = setInterval(() => {
      for (let i = 0; i < 100; i++, fired++) core.changes.emit('push')
    }, 1)
    try {
      await reading.until('five logs', (logs) => logs.length === 5)
    } finally {
      clearInterval(firing)
    }
    reading.cancel()
    const stream = await reading.stream()
    console.log(`push:watch-deliveries: ${fired} changes, ${stream.stats.pushed} logs read`)
    assert.ok(stream.stats.peak <= 1, 'one log held at most')
    // Those the reader took, those on the wire (its credit), and one held.
    assert.ok(
      stream.stats.pushed <= reading.items.length + CREDIT + 1,
      `one read ahead of the reader and the wire at most (${stream.stats.pushed})`,
    )
    assert.ok(fired >= 100 * stream.stats.pushed, `far more changes (${fired}) than reads`)
  })

  await t.test("push:watch reads the relay's next event only once the reader has room", async () => {
    const relay = await testRelay(t)
    // Another computer's hook on the same relay: this watcher reports each of its events `not-ours`
    // at once, so the relay's stream is the only thing that paces it.
    const other = await relay.client.register('elsewhere', 'main')
    const EVENTS = 200
    for (let i = 0; i < EVENTS; i++) {
      const posted = await postWebhook(other.url, {
        secret: other.secret,
        body: pushPayload('refs/heads/main'),
      })
      assert.equal(posted.status, 202)
    }
    const reading = read('push:watch', { relay: relay.relay.url, token: relay.relay.token }, 20)
    const notOurs = (items: { type: string }[]) => items.filter((item) => item.type === 'not-ours').length
    await reading.until('every event', (items) => notOurs(items) === EVENTS)
    reading.cancel()
    const stream = await reading.stream()
    console.log(`push:watch: ${EVENTS} events, held at most ${stream.stats.peak}`)
    assert.ok(stream.stats.pauses > 0, 'the watcher was held back')
    assert.ok(
      stream.stats.peak <= WATCH_HIGH_WATER + 1,
      `one event's activity over the mark at most (${stream.stats.peak})`,
    )
  })

  await t.test('github:sign-in: two items at most, by the device flow itself', async () => {
    const reading = read('github:sign-in', undefined, 50)
    await reading.done
    assert.deepEqual(
      reading.items.map((e) => e.type),
      ['code', 'signed-in'],
    )
    assert.ok((await reading.stream()).stats.peak <= 2)
  })

  // The real scripts, but provision.sh and relay-install.sh print the flood first; their bundle lands
  // in a folder of its own on the server.
  const root = mkdtempSync(join(tmpdir(), 'helvetia-flood-root-'))
  t.after(() => rmSync(root, { recursive: true, force: true }))
  await symlink(join(APP_ROOT, 'package.json'), join(root, 'package.json'))
  await symlink(join(APP_ROOT, 'relay'), join(root, 'relay'))
  await cp(join(APP_ROOT, 'remote-scripts'), join(root, 'remote-scripts'), { recursive: true })
  for (const name of ['provision.sh', 'relay-install.sh', 'db-create.sh']) {
    const script = join(root, 'remote-scripts', name)
    const [shebang, ...rest] = (await readFile(script, 'utf8')).split('\n')
    await writeFile(script, [shebang, FLOOD, ...rest].join('\n'))
  }
  const bundle = await loadScriptBundle(join(root, 'remote-scripts'))
  bed.cleanup(sh`rm -rf "$HOME"/${`${scriptsFolder(bed.prefix)}/${bundle.hash}`}`)
  const { core: flooding } = await testCore(t, bed, { vault, appRoot: root })
  const readFlooding = serve(flooding.api)

  await t.test('servers:provision: provision.sh with 1.1 MB of output first', async () => {
    const reading = readFlooding(
      'servers:provision',
      {
        name: bed.serverName,
        proxy: 'caddy',
        proxyImage: bed.server.images.caddy,
        httpPort: bed.httpPort,
        httpsPort: bed.httpsPort,
        bind: '127.0.0.1',
      },
      2,
    )
    await reading.done
    assert.equal(reading.items.at(-1)?.type, 'done')
    assert.equal(reading.items.filter((e) => e.type === 'log' && e.line === LINE).length, FLOOD_LINES)
    assertBounded('servers:provision', await reading.stream(), 64 * KI)
  })

  await t.test('push:install-relay: relay-install.sh with 1.1 MB of output first', async () => {
    // A base image that is nowhere ends the install at its build, seconds after the flood, instead
    // of building and starting a relay (relay-server-side.test.ts does that).
    const reading = readFlooding(
      'push:install-relay',
      {
        server: bed.serverName,
        domain: `http://relay.${bed.prefix}.test`,
        baseImage: `${bed.prefix}-absent/node:none`,
      },
      2,
    )
    await assert.rejects(reading.done, { code: 'BUILD_FAILED' })
    assert.equal(reading.items.filter((e) => e.type === 'log' && e.line === LINE).length, FLOOD_LINES)
    assertBounded('push:install-relay', await reading.stream(), 64 * KI)
  })

  await t.test('databases:create: db-create.sh with 1.1 MB of output first', async () => {
    const reading = readFlooding(
      'databases:create',
      { name: 'flood-db', server: bed.serverName, engine: 'redis', image: bed.server.images.redis },
      2,
    )
    await reading.done
    assert.equal(reading.items.at(-1)?.type, 'done')
    assert.equal(reading.items.filter((e) => e.type === 'log' && e.line === LINE).length, FLOOD_LINES)
    assertBounded('databases:create', await reading.stream(), 64 * KI)
    await flooding.databases.remove('flood-db', false)
  })

  await t.test('metrics: a collection retrying an unreachable server without pause', async () => {
    // The real collector, runner and SSH connection; the server's port has nothing listening, and
    // the collection starts again after 1 ms instead of 2 s: two status events a try, as fast as
    // a connection is refused.
    const [port] = await freePorts(1)
    const db = openDatabase(core.home)
    t.after(() => db.close())
    createServerStore(db).insert({
      id: randomUUID(),
      name: 'down',
      host: '127.0.0.1',
      port: port ?? 1,
      user: 'nobody',
      auth: 'key-file',
      keyPath: bed.server.keyPath,
      hostKeyFingerprint: bed.server.hostKeyFingerprint,
      createdAt: new Date().toISOString(),
    })
    core.apps.create({
      name: 'downapp',
      server: 'down',
      source: { kind: 'folder', path: folder },
      port: 8080,
    })
    const metrics = createMetrics({
      db,
      servers: core.servers,
      apps: core.apps,
      scripts: new ScriptRunner({ scriptsDir: join(APP_ROOT, 'remote-scripts') }),
      prefix: bed.prefix,
      lingerMs: 0,
      retryMs: { first: 1, last: 1 },
    })
    t.after(() => metrics.close())
    const readMetrics = serve({ ...core.api, ...metricsApi(metrics) })
    for (const [method, input] of [
      ['metrics:server', { server: 'down' }],
      ['metrics:app', { name: 'downapp' }],
    ] as const) {
      // Ten events a second: the collection's status comes faster.
      const reading = readMetrics(method, input as never, 100)
      const stream = await reading.stream()
      await reading.until(
        'a hundred events past the high mark',
        () => stream.stats.pushed >= stream.highWater + 100,
      )
      reading.cancel()
      console.log(`${method}: held at most ${stream.stats.peak} of ${stream.stats.pushed} events`)
      assert.equal(reading.items[0]?.type, 'history', 'the history comes first, never dropped')
      assert.ok(stream.stats.peak <= stream.highWater, `${method} held ${stream.stats.peak}`)
      assert.ok(stream.stats.overflows > 0, 'the oldest were dropped')
    }
  })

  await t.test(
    'databases:tunnel: connections opened and closed far faster than the reader reads',
    async () => {
      // The connection counts cannot be paused (clients connect when they like): the stream keeps the
      // listening event and the newest count. The handler runs over its real dependencies but for the
      // database's facts: a busybox listener standing in for the engine as a database container
      // (name, label, network) stands in, since it opens as fast as a flood needs.
      const name = 'floodb'
      await bed.run(
        sh`docker run -d --name ${`${bed.prefix}-db-${name}`} --network ${bed.prefix} --label dev.helvetia.prefix=${bed.prefix} ` +
          sh`--label dev.helvetia.database=${name} ${bed.server.images.busybox} nc -ll -p 5432 -e cat >/dev/null`,
      )
      const scripts = new ScriptRunner({ scriptsDir: join(APP_ROOT, 'remote-scripts'), prefix: bed.prefix })
      const server = core.servers.get(bed.serverName)
      const connectionOf = async () => ({
        name,
        server,
        engine: 'postgres' as const,
        port: 5432,
        host: `${bed.prefix}-db-${name}`,
        url: (host: string, port: number) => `postgres://u:p@${host}:${port}/d`,
      })
      const deps = { connectionOf, servers: core.servers, scripts, prefix: bed.prefix }
      const links = createDatabaseLinks({ ...deps, apps: core.apps })
      const readTunnel = serve({ ...core.api, ...databaseAccessApi(links, deps) })
      const reading = readTunnel('databases:tunnel', { name }, 50)
      await reading.until('listening', (events) => events.length === 1)
      const listening = reading.items[0]
      assert.ok(listening?.type === 'listening', JSON.stringify(listening))
      // Twenty at a time, each ended by the client and closed once the channel closed behind it.
      const CONNECTIONS = 100
      for (let i = 0; i < CONNECTIONS; i += 20) {
        const batch = Array.from({ length: 20 }, () => {
          const socket = connect(listening.port, '127.0.0.1', () => socket.end('ping'))
          socket.resume()
          return new Promise((resolve) => socket.once('close', resolve))
        })
        await Promise.all(batch)
      }
      await reading.until(
        'no connection open',
        (events) => events.at(-1)?.type === 'connections' && (events.at(-1) as { open: number }).open === 0,
      )
      reading.cancel()
      const stream = await reading.stream()
      console.log(
        `databases:tunnel: ${stream.stats.pushed} events, ${reading.items.length} read, held at most ${stream.stats.peak}`,
      )
      assert.ok(stream.stats.pushed >= 2 * CONNECTIONS, `a count per change (${stream.stats.pushed})`)
      assert.ok(stream.stats.peak <= stream.highWater, `held ${stream.stats.peak}`)
      assert.ok(stream.stats.overflows > 0, 'counts the reader had no room for were replaced')
    },
  )

  assert.deepEqual([...flooded].sort(), STREAMING, 'every streaming method was flooded')
})

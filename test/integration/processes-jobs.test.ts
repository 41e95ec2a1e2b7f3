/**
 * More than one process per app, on the real test server through the real core's API (and the CLI for
 * `app update --process`, `ps` and `jobs`): a Procfile's web and worker run from one image, the worker
 * unrouted; settings replace the Procfile (2 replicas), each old worker stops once its replacement runs;
 * a worker that dies at start fails the deploy before the switch; a rollback restarts the workers from
 * the old image; removal takes them all. Scheduled jobs run by the server's job agent with no core
 * open (the core is closed, and so is its SSH connection; the test waits on the server's run record),
 * a failing job's run is recorded failed with its exit code and masked log.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Deployment, Job } from '../../src-main/api/contract'
import { createCore } from '../../src-main/core/create-core'
import { sh } from '../../src-main/core/shell/quote'
import { createKeytarVault } from '../../src-main/core/vault/vault'
import { helvetia } from '../support/cli'
import { APP_ROOT } from '../support/temp-home'
import { until } from '../support/until'
import { testCore } from './core-support'
import { busyboxApp, deployTestbed } from './deploy-support'

const SECRET = 'job-secret-4f2a9c'
const WORKER = 'while true; do echo "tick from $(hostname)"; sleep 1; done'

test('workers run beside web from one image; jobs run on time with no desktop connected', async (t) => {
  const bed = await deployTestbed(t)
  if (!bed) return
  const appDir = `.${bed.prefix}/apps/shop`
  bed.cleanup(sh`kill "$(cat "$HOME"/${`.${bed.prefix}/jobs-agent/agent.pid`})" 2>/dev/null; true`)
  const { core, home, serverName } = await testCore(t, bed)
  const cli = (args: string[]) => helvetia(home, args, '', { HELVETIA_PREFIX: bed.prefix })
  const containers = async (filter: string) =>
    (
      await bed.run(
        sh`docker ps --filter label=dev.helvetia.prefix=${bed.prefix} --filter ${filter} --filter status=running --format '{{.Names}} {{.Image}}'`,
      )
    )
      .trim()
      .split('\n')
      .filter(Boolean)
      .sort()
  // The old containers stop after the deploy is live (the drain): wait for the list to be `expected`.
  const workersBecome = (expected: string[]) =>
    until(`the workers ${expected.join(', ')}`, 60_000, async () => {
      const now = await containers('label=dev.helvetia.process=worker')
      return JSON.stringify(now) === JSON.stringify(expected) ? now : undefined
    })
  const deployed = async (run: Promise<Deployment>, status = 'succeeded') => {
    const deployment = await run
    assert.equal(deployment.status, status, JSON.stringify(deployment.error))
    return deployment
  }

  const folder = await bed.folder({
    ...busyboxApp(bed.server.images.busybox, 'web\n'),
    Procfile: `# the web process serves, the worker ticks\nweb: httpd -f -p 8080 -h /www\nworker: ${WORKER}\n`,
  })
  await core.api['apps:create']({
    name: 'shop',
    server: serverName,
    source: { kind: 'folder', path: folder },
    port: 8080,
    domains: ['http://shop.test'],
    healthPath: '/index.html',
  })
  await core.api['env:set']({ name: 'shop', vars: [{ key: 'TOKEN', value: SECRET }], secret: true })

  // 1. The Procfile: web routed, one worker from the same image, not in the proxy's route.
  const one = await deployed(core.apps.deploy('shop'))
  assert.deepEqual(await bed.get('shop.test'), { status: 200, body: 'web\n' })
  const image = `${bed.prefix}/shop:${one.id}`
  assert.deepEqual(await containers('label=dev.helvetia.process=worker'), [
    `${bed.prefix}-shop-${one.id}-worker-1 ${image}`,
  ])
  const route = await bed.run(sh`cat "$HOME"/${`.${bed.prefix}/proxy/caddy/etc/sites/shop.caddy`}`)
  assert.match(route, new RegExp(`shop-${one.id}:8080`))
  assert.doesNotMatch(route, /worker/)

  // 2. Settings replace the Procfile: two workers; the old one stops once they run.
  const update = await cli([
    'app',
    'update',
    'shop',
    '--process',
    `worker=${WORKER}`,
    '--replicas',
    'worker=2',
  ])
  assert.equal(update.code, 0, update.stderr)
  assert.match(update.stdout, /processes: \(the Procfile’s, else web\) → web×1; worker×2/)
  const two = await deployed(core.apps.deploy('shop'))
  await workersBecome([
    `${bed.prefix}-shop-${two.id}-worker-1 ${bed.prefix}/shop:${two.id}`,
    `${bed.prefix}-shop-${two.id}-worker-2 ${bed.prefix}/shop:${two.id}`,
  ])
  const ps = await cli(['ps', 'shop', '--json'])
  assert.equal(ps.code, 0, ps.stderr)
  assert.deepEqual(
    (
      JSON.parse(ps.stdout) as { name: string; running: number; replicas: number; command: string | null }[]
    ).map((p) => [p.name, p.running, p.replicas, p.command]),
    [
      ['web', 1, 1, null],
      ['worker', 2, 2, WORKER],
    ],
  )
  const lines: string[] = []
  await core.apps.logs('shop', { service: 'worker', tail: 20, onLine: (line) => lines.push(line) })
  assert.ok(
    lines.some((line) => /^\[worker\.1\] tick from /.test(line)),
    lines.join('\n'),
  )
  assert.ok(
    lines.some((line) => /^\[worker\.2\] tick from /.test(line)),
    lines.join('\n'),
  )

  // 3. A worker that dies at its start fails the deploy before the switch: the old version runs on.
  await core.api['apps:update']({
    name: 'shop',
    changes: {
      processes: [{ name: 'web' }, { name: 'worker', command: 'echo no queue; exit 4', replicas: 2 }],
    },
  })
  const broken = await deployed(core.apps.deploy('shop'), 'failed')
  assert.equal(broken.error?.code, 'WORKER_FAILED')
  assert.match(broken.error?.lastLines ?? '', /no queue/)
  assert.deepEqual(await bed.get('shop.test'), { status: 200, body: 'web\n' })
  assert.equal((await containers('label=dev.helvetia.process=worker')).length, 2)
  assert.deepEqual(await containers(`label=dev.helvetia.deployment=${broken.id}`), [])

  // 4. A rollback restarts the workers from the old image (the processes as deployment one ran them).
  await core.api['apps:update']({ name: 'shop', changes: { processes: [] } })
  const back = await deployed(core.apps.rollback('shop', { to: one.id }))
  await workersBecome([`${bed.prefix}-shop-${back.id}-worker-1 ${bed.prefix}/shop:${back.id}`])
  const ids = async (tag: string) => (await bed.run(sh`docker image inspect -f '{{.Id}}' ${tag}`)).trim()
  assert.equal(await ids(`${bed.prefix}/shop:${back.id}`), await ids(image))

  // 5. Jobs, run by the server with no core open: one due every minute, one that fails.
  const added = await core.api['jobs:add']({
    app: 'shop',
    name: 'report',
    cron: '* * * * *',
    command: 'echo "report with $TOKEN"',
  })
  assert.equal(added.lastRun, null)
  assert.ok(added.nextRunAt && Date.parse(added.nextRunAt) - Date.now() <= 60_000, added.nextRunAt ?? '')
  await core.api['jobs:add']({ app: 'shop', name: 'broken', cron: '* * * * *', command: 'echo boom; exit 3' })
  await assert.rejects(core.api['jobs:add']({ app: 'shop', name: 'x', cron: '0 3 * *', command: 'true' }), {
    code: 'INVALID_OPTION',
  })
  core.close()
  const finished = (job: string) =>
    until(`a finished run of ${job} on the server`, 150_000, async () => {
      const states = await bed.run(sh`cat "$HOME"/${appDir}/jobs/${job}/runs/*/state 2>/dev/null; true`)
      return /^state=(succeeded|failed)$/m.test(states) ? states : undefined
    })
  await Promise.all([finished('report'), finished('broken')])

  // Read back through the CLI (`jobs`), then a core opened again on the same data folder.
  const jobs = await cli(['jobs', 'shop', '--json'])
  assert.equal(jobs.code, 0, jobs.stderr)
  const listed = (JSON.parse(jobs.stdout) as Job[])
    .map((j) => [j.name, j.lastRun?.state, j.lastRun?.exitCode])
    .sort()
  assert.deepEqual(listed, [
    ['broken', 'failed', 3],
    ['report', 'succeeded', 0],
  ])
  const again = createCore({
    home,
    appRoot: APP_ROOT,
    vault: createKeytarVault(),
    face: 'test',
    knownHostsPath: '/nonexistent',
    prefix: bed.prefix,
  })
  t.after(() => again.close())
  const [failed] = await again.api['jobs:runs']({ app: 'shop', name: 'broken' })
  assert.ok(failed && failed.durationMs !== null && failed.finishedAt)
  const log = async (name: string, run: string) =>
    (await again.api['jobs:run-log']({ app: 'shop', name, run })).log
  assert.match(await log('broken', failed.id), /^boom$/m)
  const [report] = await again.api['jobs:runs']({ app: 'shop', name: 'report' })
  const reportLog = await log('report', report!.id)
  assert.match(reportLog, /^report with ••••••$/m)
  assert.doesNotMatch(reportLog, new RegExp(SECRET))

  // Now, on demand; then removed.
  const now = await again.api['jobs:run']({ app: 'shop', name: 'broken' })
  assert.deepEqual([now.state, now.exitCode], ['failed', 3])
  await again.api['jobs:remove']({ app: 'shop', name: 'broken' })
  assert.deepEqual(
    (await again.api['jobs:list']({ app: 'shop' })).map((j) => j.name),
    ['report'],
  )

  // 6. Removal takes every container of the app, workers too.
  await again.api['apps:remove']({ name: 'shop' })
  assert.deepEqual(await containers('label=dev.helvetia.app=shop'), [])
})

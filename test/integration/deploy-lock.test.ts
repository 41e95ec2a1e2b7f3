/**
 * Deploys of one app are strictly serial even when the lock they wait on is broken as stale: two real
 * cores (each its own store and SSH connection, as two desktops or a desktop and a CLI) deploy the same
 * app at once while a dead deployment holds its lock. Both wait; then the dead one's process ends, both
 * judge its lock stale at the same moment, and only one may break it and take it. Both deploys end
 * recorded, and their [started, finished] spans do not overlap.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sh } from '../../src-main/core/shell/quote'
import { busyboxApp, deployTestbed } from './deploy-support'
import { testCore } from './core-support'

test('two cores deploying one app at once over a stale lock deploy strictly one after the other', async (t) => {
  const bed = await deployTestbed(t)
  if (!bed) return
  const folder = await bed.folder(busyboxApp(bed.server.images.busybox, 'serial\n', ['RUN sleep 3']))
  const cores = [await testCore(t, bed), await testCore(t, bed)]
  for (const { core, serverName } of cores) {
    core.apps.create({
      name: 'serial',
      server: serverName,
      source: { kind: 'folder', path: folder },
      port: 8080,
      domains: ['http://serial.test'],
      healthPath: '/index.html',
    })
  }
  // A deployment whose supervisor (a sleep of the test user's) still runs, and holds the lock.
  const dead = '20000101-000000-dead'
  const app = sh`"$HOME"/${`.${bed.prefix}/apps/serial`}`
  const holder = (
    await bed.run(
      `mkdir -p ${app}/deployments/${dead} ${app}/lock && echo ${dead} >${app}/lock/id && ` +
        `printf 'id=${dead}\\nstatus=running\\n' >${app}/deployments/${dead}/state && ` +
        `echo '{"id":"${dead}","status":"running"}' >${app}/deployments/${dead}/meta.json && ` +
        `{ setsid sleep 600 </dev/null >/dev/null 2>&1 & echo $! >${app}/deployments/${dead}/pid; echo $!; }`,
    )
  ).trim()
  bed.cleanup(sh`kill ${holder} 2>/dev/null; true`)

  let waiting = 0
  let released: Promise<string> | undefined
  const deploys = cores.map(({ core }) =>
    core.apps.deploy('serial', {
      onEvent: (event) => {
        if (event.type !== 'step' || event.step !== 'lock' || event.status !== 'running') return
        // Both wait on the dead deployment's lock: now its process ends.
        if (++waiting === 2) released = bed.run(sh`kill ${holder}`)
      },
    }),
  )
  const results = await Promise.all(deploys)
  await released
  assert.deepEqual(
    results.map((r) => r.status),
    ['succeeded', 'succeeded'],
    JSON.stringify(results.map((r) => r.error)),
  )

  const history = await cores[0]!.core.apps.deployments('serial')
  const ours = history.deployments.filter((d) => d.id !== dead)
  assert.equal(ours.length, 2, 'both deploys are recorded')
  assert.equal(
    history.deployments.find((d) => d.id === dead)?.status,
    'failed',
    'the dead one is recorded failed',
  )
  const spans = ours
    .map((d) => [Date.parse(d.startedAt ?? ''), Date.parse(d.finishedAt ?? '')] as const)
    .sort((a, b) => a[0] - b[0])
  const [first, second] = spans
  assert.ok(first && second && second[0] >= first[1], `the deploys overlapped: ${JSON.stringify(ours)}`)
})

/**
 * Deploying a folder app to the test server through Caddy: it answers on its domain, a redeploy under
 * load fails no request, a broken version leaves the old one serving, rollback, history on the server.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { DeployEvent } from '../../src-main/core/deploy/deployer'
import {
  busyboxApp,
  deployTestbed,
  steadyLoad,
  switchClock,
  switchUnderLoad,
  webApp,
  writeFiles,
} from './deploy-support'

test('a folder app is deployed, redeployed under load with 0 failures, a broken version keeps the old one, rollback', async (t) => {
  const bed = await deployTestbed(t)
  if (!bed) return
  const app = webApp('web')
  const folder = await bed.folder(busyboxApp(bed.server.images.busybox, 'version one\n'))
  const serverAddress = '127.0.0.1'

  const events: DeployEvent[] = []
  const first = await bed.deployer.deploy(
    bed.target,
    { app, source: { kind: 'folder', path: folder }, serverAddress },
    {
      onEvent: (event) => event.type !== 'uploaded' && events.push(event),
    },
  )
  assert.equal(first.status, 'succeeded', JSON.stringify(first))
  assert.deepEqual(await bed.get('web.test'), { status: 200, body: 'version one\n' })
  const steps = events.flatMap((e) =>
    e.type === 'step' && e.status !== 'running' ? [`${e.step}:${e.status}`] : [],
  )
  assert.deepEqual(steps.slice(0, 8), [
    'lock:done',
    'source:done',
    'build:done',
    'start:done',
    'health:done',
    'switch:done',
    'verify:done',
    'deploy:done',
  ])

  // Redeploy a new version under a steady, bounded load, timing the proxy switch.
  await writeFiles(folder, { 'www/index.html': 'version two\n' })
  const load = steadyLoad(bed.httpPort, 'web.test', { expect: /^version (one|two)\n$/, maxMs: 90_000 })
  const clock = switchClock()
  const second = await bed.deployer.deploy(
    bed.target,
    { app, source: { kind: 'folder', path: folder }, serverAddress },
    { onEvent: clock.onEvent },
  )
  // The load runs on until the old container is drained and stopped (busybox httpd ignores SIGTERM,
  // so `docker stop` waits out its timeout).
  const running = () =>
    bed.run(`docker ps --filter label=dev.helvetia.prefix=${bed.prefix} --format '{{.Names}}'`)
  const until = Date.now() + 40_000
  while ((await running()).trim().includes('\n') && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  const loaded = await load.stop()
  assert.equal(second.status, 'succeeded')
  assert.deepEqual(loaded.failures, [], `${loaded.failures.length} of ${loaded.requests} requests failed`)
  const seen = switchUnderLoad(loaded, clock.window, /one/, /two/)
  t.diagnostic(`the load around the switch: ${JSON.stringify({ requests: loaded.requests, ...seen })}`)
  assert.ok(seen.beforeSwitch > 0, `no request was answered before the switch: ${JSON.stringify(seen)}`)
  assert.ok(seen.afterSwitch > 0, `no request was sent after the switch: ${JSON.stringify(seen)}`)
  assert.ok(seen.changed, `the load did not see version one, then two: ${JSON.stringify(seen)}`)
  assert.equal(seen.oldAfterNew, 0, 'version one answered after version two had')
  // A reload closes the proxy's idle kept-alive connections: at most one re-send per pooled socket.
  assert.ok(seen.resent <= 2, `${seen.resent} requests were sent again`)
  assert.deepEqual(await bed.get('web.test'), { status: 200, body: 'version two\n' })
  const containers = await running()
  assert.equal(containers.trim(), `${bed.prefix}-web-${second.id}`, 'the old container is stopped')

  // A version whose health check fails: the old one keeps serving.
  await writeFiles(folder, {
    Dockerfile: [
      `FROM ${bed.server.images.busybox}`,
      'CMD ["sh", "-c", "echo starting broken; echo cannot serve >&2; sleep 600"]',
      '',
    ].join('\n'),
  })
  const broken = await bed.deployer.deploy(bed.target, {
    app: { ...app, health: { path: '/index.html', intervalS: 1, retries: 2, startPeriodS: 2 } },
    source: { kind: 'folder', path: folder },
    serverAddress,
  })
  assert.equal(broken.status, 'failed')
  assert.equal(broken.error?.code, 'HEALTH_CHECK_FAILED')
  assert.match(broken.error?.message ?? '', /Health check failed 2 times/)
  // Its standard output and error, in whichever order Docker interleaves them.
  assert.deepEqual((broken.error?.lastLines ?? '').split('\n').sort(), ['cannot serve', 'starting broken'])
  assert.deepEqual(await bed.get('web.test'), { status: 200, body: 'version two\n' })
  const afterBroken = await bed.run(
    `docker ps -a --filter label=dev.helvetia.prefix=${bed.prefix} --format '{{.Names}}'`,
  )
  assert.equal(afterBroken.trim(), `${bed.prefix}-web-${second.id}`, 'the broken container is removed')

  // Rollback to the first version, without building.
  const rollbackEvents: DeployEvent[] = []
  const rolledBack = await bed.deployer.rollback(
    bed.target,
    { app, serverAddress },
    {
      onEvent: (event) => event.type !== 'uploaded' && rollbackEvents.push(event),
    },
  )
  assert.equal(rolledBack.status, 'succeeded')
  assert.equal(rolledBack.rollbackOf, first.id)
  assert.equal(rolledBack.trigger, 'rollback')
  assert.ok(rollbackEvents.some((e) => e.type === 'step' && e.step === 'build' && e.status === 'skipped'))
  assert.deepEqual(await bed.get('web.test'), { status: 200, body: 'version one\n' })

  // The server is the record.
  const history = await bed.deployer.history(bed.target, 'web')
  assert.equal(history.current, rolledBack.id)
  assert.deepEqual(
    history.deployments.map((d) => d.status),
    ['succeeded', 'succeeded', 'failed', 'succeeded'],
  )
  assert.equal(history.deployments[0]?.source.kind, 'folder')
  assert.match(history.deployments[0]?.source.id ?? '', /^[0-9a-f]{64}$/)
  assert.equal((history.app as { name?: string }).name, 'web')
})

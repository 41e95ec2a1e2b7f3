/**
 * A redeploy of exactly what runs (remote-scripts/deploy-run.sh, "an unchanged release") on the real
 * test server: it is recorded as a deployment of its own but keeps the healthy running container, and
 * it goes the whole zero-downtime way as soon as that container is not running.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { DeployEvent } from '../../src-main/core/deploy/deployer'
import { sh } from '../../src-main/core/shell/quote'
import { busyboxApp, deployTestbed, webApp } from './deploy-support'

test('an unchanged redeploy keeps the healthy running container, and replaces one that stopped', async (t) => {
  const bed = await deployTestbed(t)
  if (!bed) return
  const app = webApp('web')
  const folder = await bed.folder(busyboxApp(bed.server.images.busybox, 'same\n'))
  const deploy = async () => {
    const steps: string[] = []
    const record = await bed.deployer.deploy(
      bed.target,
      { app, source: { kind: 'folder', path: folder }, serverAddress: '127.0.0.1' },
      {
        onEvent: (e: DeployEvent | { type: 'uploaded' }) =>
          e.type === 'step' && e.status !== 'running' && steps.push(`${e.step}:${e.status}`),
      },
    )
    assert.equal(record.status, 'succeeded', JSON.stringify(record.error))
    return { record, steps }
  }
  const running = async () =>
    (
      await bed.run(
        sh`docker ps --filter label=dev.helvetia.prefix=${bed.prefix} --filter status=running --format '{{.Names}}'`,
      )
    ).trim()

  const first = await deploy()
  const live = `${bed.prefix}-web-${first.record.id}`
  assert.equal(first.record.container, live)

  const again = await deploy()
  assert.notEqual(again.record.id, first.record.id, 'a deployment of its own')
  assert.equal(again.record.container, live, 'the running container stays')
  assert.deepEqual(again.steps.slice(0, 8), [
    'lock:done',
    'source:done',
    'build:skipped',
    'start:skipped',
    'health:done',
    'switch:skipped',
    'verify:done',
    'deploy:done',
  ])
  const history = await bed.deployer.history(bed.target, 'web')
  assert.equal(history.current, again.record.id)
  assert.equal(await running(), live)
  assert.deepEqual(await bed.get('web.test'), { status: 200, body: 'same\n' })
  // Its image has the deployment's tag, so a rollback to it works as to any other.
  await bed.run(sh`docker image inspect ${`${bed.prefix}/web:${again.record.id}`} >/dev/null`)

  // A live container that is not running is no reason to keep it: the deploy replaces it.
  await bed.run(sh`docker kill ${live} >/dev/null`)
  const replaced = await deploy()
  assert.equal(replaced.record.container, `${bed.prefix}-web-${replaced.record.id}`)
  assert.deepEqual(replaced.steps.slice(2, 4), ['build:skipped', 'start:done'])
  const log = await bed.run(
    sh`cat "$HOME"/${`.${bed.prefix}/apps/web/deployments/${replaced.record.id}/log`}`,
  )
  assert.match(log, /Nothing changed since deployment \S+, but its container is not running: replacing it/)
  assert.deepEqual(await bed.get('web.test'), { status: 200, body: 'same\n' })
})

/**
 * An app's volume and its release command through real deploys: the release command runs in a
 * container of the new image, with the new env and the volume, before any request reaches the new
 * version (its health check asks for the file the command writes); the volume keeps its files across a
 * redeploy and a rollback, and both containers mount it while they overlap; a failing release command
 * fails the deploy with its output in the log, masked, and the old version answers on; a rollback does
 * not run it again.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { AppInput } from '../../src-main/core/deploy/app-spec'
import { sh } from '../../src-main/core/shell/quote'
import { busyboxApp, deployTestbed, removeVolumesAfter, webApp, writeFiles } from './deploy-support'

test('a volume survives redeploy and rollback; the release command runs before traffic, once per deploy', async (t) => {
  const bed = await deployTestbed(t)
  if (!bed) return
  removeVolumesAfter(bed)
  const volume = `${bed.prefix}-vol-data`
  const folder = await bed.folder(busyboxApp(bed.server.images.busybox, 'one\n'))
  const secret = 'release-secret-7f3a9c'
  // Each release appends its MODE to `releases` and leaves `MODE.txt`, which the health check asks
  // for: the new container's first request fails unless the command ran before it, with the new env.
  const app = (mode: string, extra: Partial<AppInput> = {}): AppInput => ({
    ...webApp('vol'),
    health: { path: `/data/${mode}.txt`, intervalS: 1 },
    env: [
      { key: 'MODE', value: mode, secret: false },
      { key: 'TOKEN', value: secret, secret: true },
    ],
    volumes: [{ source: 'data', path: '/www/data' }],
    releaseCommand: 'echo "$MODE" >>/www/data/releases && echo "$MODE" >"/www/data/$MODE.txt"',
    ...extra,
  })
  const deploy = (input: AppInput) =>
    bed.deployer.deploy(bed.target, {
      app: input,
      source: { kind: 'folder', path: folder },
      serverAddress: '127.0.0.1',
    })
  const page = (path: string) => bed.get('vol.test', path)

  const first = await deploy(app('v1'))
  assert.equal(first.status, 'succeeded', JSON.stringify(first))
  assert.ok(first.releaseRan)
  assert.deepEqual(await page('/data/releases'), { status: 200, body: 'v1\n' })
  const labels = await bed.run(
    sh`docker volume inspect -f '{{index .Labels "dev.helvetia.managed"}} {{index .Labels "dev.helvetia.app"}}' ${volume}`,
  )
  assert.equal(labels.trim(), 'true vol')

  // The redeploy's old container drains for a while: both run, and both mount the volume.
  await writeFiles(folder, { 'www/index.html': 'two\n' })
  const second = await deploy(app('v2', { drainS: 30 }))
  assert.equal(second.status, 'succeeded', JSON.stringify(second))
  const mounts = await bed.run(
    sh`docker ps --filter label=dev.helvetia.app=vol --filter label=dev.helvetia.prefix=${bed.prefix} -q | ` +
      `xargs docker inspect -f '{{.Name}}{{range .Mounts}} {{.Name}}:{{.Destination}}{{end}}'`,
  )
  assert.deepEqual(
    mounts.trim().split('\n').sort(),
    [first.container, second.container].map((c) => `/${c} ${volume}:/www/data`).sort(),
  )
  assert.deepEqual(await page('/'), { status: 200, body: 'two\n' })
  assert.deepEqual(await page('/data/releases'), { status: 200, body: 'v1\nv2\n' })

  // A failing release command: the deploy fails with its output, masked; the old version serves on.
  await writeFiles(folder, { 'www/index.html': 'three\n' })
  const failing = await deploy(
    app('v3', { releaseCommand: 'echo "migrating with $TOKEN"; echo broken-migration >&2; exit 3' }),
  )
  assert.equal(failing.status, 'failed')
  assert.equal(failing.error?.code, 'RELEASE_FAILED', JSON.stringify(failing.error))
  assert.match(failing.error?.lastLines ?? '', /broken-migration/)
  const log = await bed.run(sh`cat "$HOME"/${`.${bed.prefix}/apps/vol/deployments/${failing.id}/log`}`)
  assert.match(log, /broken-migration/)
  assert.match(log, /step=release status=failed code=RELEASE_FAILED/)
  assert.ok(
    !log.includes(secret) && !(failing.error?.lastLines ?? '').includes(secret),
    'the secret is masked',
  )
  assert.deepEqual(await page('/'), { status: 200, body: 'two\n' })
  const releaseContainer = `${bed.prefix}-vol-${failing.id}-release`
  assert.equal((await bed.run(sh`docker ps -aq --filter name=${releaseContainer}`)).trim(), '')

  // A rollback to the first deployment keeps the volume's files and does not run the command again.
  const rollback = await bed.deployer.rollback(bed.target, {
    app: app('v2'),
    serverAddress: '127.0.0.1',
    to: first.id,
  })
  assert.equal(rollback.status, 'succeeded', JSON.stringify(rollback))
  assert.equal(rollback.releaseRan, false)
  assert.deepEqual(await page('/'), { status: 200, body: 'one\n' })
  assert.deepEqual(await page('/data/releases'), { status: 200, body: 'v1\nv2\n' })
})

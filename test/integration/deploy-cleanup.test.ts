/**
 * The disk-low clean-up (remote-scripts/lib/deploy-cleanup.sh) on the real test server. The disk is
 * made "low" by the server-side setting: min_free=100% is above any free space. A deploy then removes
 * Helvetia's own older images of every app under its prefix down to the floor, and the layers its
 * failed builds left behind, and logs what it freed; foreign images and every app's live image stay.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sh } from '../../src-main/core/shell/quote'
import {
  busyboxApp,
  deployTestbed,
  foreignImages,
  webApp,
  writeFiles,
  type DeployBed,
} from './deploy-support'

/** The tags of this prefix's images and of the foreign ones the test made, sorted. */
async function imageTags(bed: DeployBed): Promise<string[]> {
  const out = await bed.run(
    sh`docker images --format '{{.Repository}}:{{.Tag}}' | grep ${`^${bed.prefix}`} | sort || true`,
  )
  return out.trim().split('\n').filter(Boolean)
}

/** The deployment's stored log once its after-live work (drain, clean-up, disk check) has ended. */
async function logAfterCleanup(bed: DeployBed, app: string, id: string): Promise<string> {
  const file = `.${bed.prefix}/apps/${app}/deployments/${id}/log`
  const until = Date.now() + 120_000
  for (;;) {
    const log = await bed.run(sh`cat "$HOME"/${file}`)
    if (/::helvetia:: step=disk status=(done|skipped|failed)/.test(log) || Date.now() > until) return log
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}

test('when the disk runs low, a deploy removes Helvetia’s older images and failed-build layers, and nothing else', async (t) => {
  const bed = await deployTestbed(t)
  if (!bed) return
  const { labelled: foreignLabelled, plain: foreignPlain } = await foreignImages(bed)
  const image = bed.server.images.busybox
  const serverAddress = '127.0.0.1'
  const deploy = async (name: string, folder: string) => {
    const record = await bed.deployer.deploy(bed.target, {
      app: webApp(name),
      source: { kind: 'folder', path: folder },
      serverAddress,
    })
    return record
  }

  // Another app with two successful deployments: its live one must survive.
  const api = await bed.folder(busyboxApp(image, 'api one\n'))
  const apiFirst = await deploy('api', api)
  await writeFiles(api, { 'www/index.html': 'api two\n' })
  const apiLive = await deploy('api', api)
  assert.deepEqual(
    [apiFirst.status, apiLive.status],
    ['succeeded', 'succeeded'],
    JSON.stringify(apiLive.error),
  )

  // The app itself: two successful deployments, then a build that fails after committing a layer.
  const web = await bed.folder(busyboxApp(image, 'web one\n'))
  const webFirst = await deploy('web', web)
  await writeFiles(web, { 'www/index.html': 'web two\n' })
  const webSecond = await deploy('web', web)
  // Only the Dockerfile changes, so the COPY comes from the cache; the RUN writes this test's prefix,
  // so its layer is this build's own, not another run's from the cache.
  const { Dockerfile } = busyboxApp(image, '', [`RUN echo ${bed.prefix} > /made`, 'RUN false'])
  await writeFiles(web, { Dockerfile: Dockerfile! })
  const broken = await deploy('web', web)
  assert.equal(broken.status, 'failed')
  assert.equal(broken.error?.code, 'BUILD_FAILED')
  assert.match(broken.error?.hint ?? '', /build output is above/, 'the record keeps what to do')
  const layers = (
    await bed.run(sh`cat "$HOME"/${`.${bed.prefix}/apps/web/deployments/${broken.id}/build-layers`}`)
  )
    .trim()
    .split('\n')
  assert.equal(layers.length, 1, `the layer of RUN echo, not the cached ones: ${layers.join(' ')}`)
  await bed.run(sh`docker image inspect ${layers[0]!} >/dev/null`)
  const holders = await bed.run(sh`docker ps -aq --filter ancestor=${layers[0]!}`)
  assert.equal(holders.trim(), '', 'the failed step’s container is removed with the build')

  // Until the disk is low, the usual rule: the last 5 successful images of each app stay.
  await logAfterCleanup(bed, 'web', webSecond.id)
  assert.deepEqual(
    await imageTags(bed),
    [
      foreignLabelled,
      foreignPlain,
      `${bed.prefix}/api:${apiFirst.id}`,
      `${bed.prefix}/api:${apiLive.id}`,
      `${bed.prefix}/web:${webFirst.id}`,
      `${bed.prefix}/web:${webSecond.id}`,
    ].sort(),
  )

  // Now the disk is "low": the next deploy keeps 1 successful deployment's image per app.
  await bed.run(sh`printf 'min_free=100%%\nkeep_when_low=1\n' >"$HOME"/${`.${bed.prefix}/disk-cleanup.conf`}`)
  await writeFiles(web, busyboxApp(image, 'web three\n'))
  const webLive = await deploy('web', web)
  assert.equal(webLive.status, 'succeeded', JSON.stringify(webLive.error))
  const log = await logAfterCleanup(bed, 'web', webLive.id)
  assert.match(log, /below 100%: removing Helvetia's older images \(keeping 1 per app\)/)
  assert.match(log, /Removed 2 image tags of web/)
  assert.match(log, /Removed 1 image tags of api/)
  assert.match(log, /step=disk status=done Removed 3 image tags and 1 build layers, freeing /)

  assert.deepEqual(
    await imageTags(bed),
    [
      foreignLabelled,
      foreignPlain,
      `${bed.prefix}/api:${apiLive.id}`,
      `${bed.prefix}/web:${webLive.id}`,
    ].sort(),
    'foreign images and each app’s live image stay; the older ones of both apps are gone',
  )
  const layerGone = await bed.target.exec(sh`docker image inspect ${layers[0]!}`)
  assert.notEqual(layerGone.code, 0, 'the failed build’s layer is removed')
  assert.deepEqual(await bed.get('api.test'), { status: 200, body: 'api two\n' })
  assert.deepEqual(await bed.get('web.test'), { status: 200, body: 'web three\n' })
})

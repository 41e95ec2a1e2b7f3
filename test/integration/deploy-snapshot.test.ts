/**
 * A queued folder deploy builds the upload it was started with. Two deploys of one app from two
 * folders wait for the app's deploy lock (held here by a stand-in holder: a live process of the
 * server's user), so each one's upload is on the server, and the other one's upload replaced it,
 * before either runs. Each deployment's image must hold its own folder: the server snapshots the
 * source when a deploy starts, under the app's source lock, and checks it against the source id: a
 * deploy started for an upload that another one replaced in between is refused (SOURCE_CHANGED; the
 * deployer then sends its folder again) and leaves no folder behind.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { appDomains, resolveAppSpec } from '../../src-main/core/deploy/app-spec'
import { deployRequestArchive, newDeploymentId } from '../../src-main/core/deploy/deploy-request'
import type { Deployment } from '../../src-main/core/deploy/deployment-record'
import { ScriptRunner } from '../../src-main/core/remote/script-runner'
import { sh } from '../../src-main/core/shell/quote'
import { uploadFolder } from '../../src-main/core/source/folder-upload'
import { failsWith } from '../support/user-error'
import { busyboxApp, deployTestbed, webApp } from './deploy-support'

test('two folder deploys queued behind the lock each build their own upload', async (t) => {
  const bed = await deployTestbed(t)
  if (!bed) return
  const app = webApp('snap')
  const appDir = `.${bed.prefix}/apps/snap`
  // The lock, held by a deployment that is not stale: its process lives (until the test releases it).
  const holder = '20000101-000000-0000'
  const pid = (
    await bed.run(
      sh`mkdir -p "$HOME"/${`${appDir}/deployments/${holder}`} "$HOME"/${`${appDir}/lock`} && cd "$HOME"/${appDir} && ` +
        sh`echo status=succeeded >${`deployments/${holder}/state`} && echo ${holder} >lock/id && ` +
        `{ setsid sleep 600 </dev/null >/dev/null 2>&1 & echo $! | tee ${sh`${`deployments/${holder}/pid`}`}; }`,
    )
  ).trim()
  const release = sh`rm -rf "$HOME"/${`${appDir}/lock`}; kill ${pid} 2>/dev/null; true`
  bed.cleanup(release)

  const deployFolder = async (page: string) => {
    const folder = await bed.folder(busyboxApp(bed.server.images.busybox, page))
    let started = (_id: string) => {}
    const queued = new Promise<string>((resolve) => (started = resolve))
    const done: Promise<Deployment> = bed.deployer.deploy(
      bed.target,
      { app, source: { kind: 'folder', path: folder }, serverAddress: '127.0.0.1' },
      { onEvent: (event) => event.type === 'started' && started(event.id) },
    )
    return { id: await queued, done }
  }
  // In this order: A uploaded and started, then B uploaded (replacing A's tree) and started.
  const a = await deployFolder('folder A\n')
  const b = await deployFolder('folder B\n')
  await bed.run(release)
  const [first, second] = await Promise.all([a.done, b.done])
  assert.equal(first.status, 'succeeded', JSON.stringify(first))
  assert.equal(second.status, 'succeeded', JSON.stringify(second))

  const page = (id: string) => bed.run(sh`docker run --rm ${`${bed.prefix}/snap:${id}`} cat /www/index.html`)
  assert.equal(await page(a.id), 'folder A\n', "deployment A's image holds folder A")
  assert.equal(await page(b.id), 'folder B\n', "deployment B's image holds folder B")
})

test('a deploy started for an upload that another one replaced is refused, and leaves nothing behind', async (t) => {
  const bed = await deployTestbed(t)
  if (!bed) return
  const scripts = new ScriptRunner({
    scriptsDir: fileURLToPath(new URL('../../remote-scripts', import.meta.url)),
  })
  const upload = async (page: string) =>
    uploadFolder(bed.target, scripts, {
      prefix: bed.prefix,
      app: 'snap',
      folder: await bed.folder(busyboxApp(bed.server.images.busybox, page)),
    })
  const a = await upload('folder A\n')
  await upload('folder B\n')
  const spec = resolveAppSpec({
    ...webApp('snap'),
    env: [{ key: 'TOKEN', value: 'a-secret-value', secret: true }],
  })
  const id = newDeploymentId()
  const request = deployRequestArchive({
    id,
    spec,
    domains: appDomains(spec, '127.0.0.1'),
    source: { kind: 'folder', sourceId: a.sourceId },
    trigger: 'cli',
  })
  await assert.rejects(
    scripts.run(bed.target, 'deploy-start.sh', {
      args: ['--prefix', bed.prefix, '--app', 'snap', '--id', id],
      stdin: request,
    }),
    failsWith('SOURCE_CHANGED', (e) => assert.match(e.message, new RegExp(`is no longer ${a.sourceId}`))),
  )
  const left = await bed.run(sh`ls "$HOME"/${`.${bed.prefix}/apps/snap/deployments`} 2>/dev/null || true`)
  assert.equal(left.trim(), '', 'no deployment folder (its env held a secret) is left')
})

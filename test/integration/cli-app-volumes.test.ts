/**
 * An app's volumes through the real `helvetia` command, under the test's own prefix: `app update
 * --volume`/`--remove-volume`/`--release-command` (a system folder refused), a deploy that creates the
 * volume, and `app remove`, which refuses an app with volumes without a choice (no TTY here),
 * keeps the Docker volume with --keep-volumes and deletes it with --delete-volumes.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { AppSummary } from '../../src-main/core/apps/apps'
import { sh } from '../../src-main/core/shell/quote'
import { addServerArgs, createFolderAppArgs, helvetia } from '../support/cli'
import { tempHome } from '../support/temp-home'
import { busyboxApp, deployTestbed, removeVolumesAfter } from './deploy-support'

test('app update --volume, deploy, and app remove: refused without a choice, --keep-volumes, --delete-volumes', async (t) => {
  const bed = await deployTestbed(t)
  if (!bed) return
  removeVolumesAfter(bed)
  const home = tempHome(t)
  const run = async (args: string[], ok = true) => {
    const result = await helvetia(home, args, '', { HELVETIA_PREFIX: bed.prefix })
    if (ok) assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`)
    return result
  }
  const volume = `${bed.prefix}-clivol-data`
  const exists = async () =>
    (await bed.run(sh`docker volume ls -q --filter name=^${volume}$`)).trim() === volume
  const folder = await bed.folder(busyboxApp(bed.server.images.busybox, 'hi\n'))
  await run(addServerArgs(bed.server, 'edge', '--identity', bed.server.keyPath))
  await run(createFolderAppArgs('clivol', folder))

  const refused = await run(['app', 'update', 'clivol', '--volume', '/etc/ssl:/certs'], false)
  assert.notEqual(refused.code, 0)
  assert.match(refused.stderr, /Refused host folder: \/etc\/ssl is or holds a system folder/)
  const changed = await run([
    'app',
    'update',
    'clivol',
    '--volume',
    'data:/www/data',
    '--volume',
    'cache:/cache',
    '--release-command',
    'echo "released" >/www/data/released',
  ])
  assert.match(changed.stdout, /^ {2}volumes: none → data:\/www\/data cache:\/cache$/m)
  assert.match(changed.stdout, /^ {2}release command: none → echo "released" >\/www\/data\/released$/m)
  const detached = await run(['app', 'update', 'clivol', '--remove-volume', 'cache'])
  assert.match(
    detached.stdout,
    /The data of cache stays on the server until the app is removed with --delete-volumes/,
  )
  const deploy = await run(['deploy', 'clivol', '--json'])
  assert.equal(JSON.parse(deploy.stdout).status, 'succeeded')
  assert.match(deploy.stderr, /release command succeeded/)
  assert.ok(await exists())

  const unasked = await run(['app', 'remove', 'clivol'], false)
  assert.notEqual(unasked.code, 0)
  assert.match(unasked.stderr, /has volumes \(data\).*--keep-volumes.*--delete-volumes/s)
  const apps = JSON.parse((await run(['app', 'list', '--json'])).stdout) as AppSummary[]
  assert.deepEqual(
    apps.map((a) => a.name),
    ['clivol'],
    'nothing was removed',
  )

  const kept = await run(['app', 'remove', 'clivol', '--keep-volumes'])
  assert.match(kept.stderr, new RegExp(`Kept its volumes and their data: ${volume}`))
  assert.ok(await exists(), '--keep-volumes keeps the Docker volume')

  // The same app again: its removal with --delete-volumes deletes the volume it left, data and all.
  await run(createFolderAppArgs('clivol', folder))
  await run(['app', 'update', 'clivol', '--volume', 'data:/www/data'])
  const deleted = await run(['app', 'remove', 'clivol', '--delete-volumes'])
  assert.match(deleted.stderr, new RegExp(`Deleted its volumes with their data: ${volume}`))
  assert.equal(await exists(), false)
})

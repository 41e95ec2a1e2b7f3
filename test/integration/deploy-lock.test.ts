/**
 * Deploys of one app are strictly serial even when the lock they wait on is broken as stale: the real
 * CLI (`helvetia deploy`, its own process, store and SSH connection) and a real core (as the desktop app
 * drives it) deploy the same app at once while a dead deployment holds its lock. Both wait; then the
 * dead one's process ends, both judge its lock stale at the same moment, and only one may break it and
 * take it. Both deploys end recorded, and their [started, finished] spans do not overlap.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sh } from '../../src-main/core/shell/quote'
import { addServerArgs, createFolderAppArgs, helvetia } from '../support/cli'
import { tempHome } from '../support/temp-home'
import { until } from '../support/until'
import { busyboxApp, DEAD_DEPLOYMENT, deployTestbed, holdDeployLock } from './deploy-support'
import { testCore } from './core-support'

test('the CLI and a core deploying one app at once over a stale lock deploy strictly one after the other', async (t) => {
  const bed = await deployTestbed(t)
  if (!bed) return
  const folder = await bed.folder(busyboxApp(bed.server.images.busybox, 'serial\n', ['RUN sleep 3']))
  const { core, serverName } = await testCore(t, bed)
  core.apps.create({
    name: 'serial',
    server: serverName,
    source: { kind: 'folder', path: folder },
    port: 8080,
    domains: ['http://serial.test'],
    healthPath: '/index.html',
  })
  // The CLI in a data folder of its own, naming what it creates on the server by the bed's prefix.
  const home = tempHome(t)
  const cli = (args: string[]) => helvetia(home, args, '', { HELVETIA_PREFIX: bed.prefix })
  for (const args of [
    addServerArgs(bed.server, 'edge', '--identity', bed.server.keyPath),
    createFolderAppArgs('serial', folder),
  ]) {
    const result = await cli(args)
    assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`)
  }

  // A deployment whose supervisor (a sleep of the test user's) still runs, and holds the lock.
  const dead = DEAD_DEPLOYMENT
  const { holder, dir: app } = await holdDeployLock(bed, 'serial')

  const byCli = cli(['deploy', 'serial'])
  const byCore = core.apps.deploy('serial', { trigger: 'desktop' })
  let ended = false
  const early = Promise.race([byCli, byCore]).then(() => {
    ended = true
    throw new Error('a deploy ended before both waited on the lock')
  })
  // Both wait on the dead deployment's lock (neither can pass it): their logs on the server say so.
  const waiting = until('both deploys waiting on the lock', 300_000, async () => {
    if (ended) return false
    const logs = await bed.run(`grep -l 'step=lock status=running' ${app}/deployments/*/log || true`)
    return logs.trim().split('\n').filter(Boolean).length === 2 ? true : undefined
  })
  await Promise.race([waiting, early])
  // Now the dead deployment's process ends.
  await bed.run(sh`kill ${holder}`)

  const cliResult = await byCli
  assert.equal(cliResult.code, 0, cliResult.stderr)
  const coreResult = await byCore
  assert.equal(coreResult.status, 'succeeded', JSON.stringify(coreResult.error))

  const history = await core.apps.deployments('serial')
  const ours = history.deployments.filter((d) => d.id !== dead)
  assert.deepEqual(ours.map((d) => d.trigger).sort(), ['cli', 'desktop'], 'both deploys are recorded')
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

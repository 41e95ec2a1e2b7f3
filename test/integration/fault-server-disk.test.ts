/**
 * A full disk on the server, for real: the app records of this test's prefix (~/.P/apps of the test
 * user) live on a small tmpfs of their own (mounted as root: the test server is this machine; only
 * this test's prefix, never a folder other tests use), filled to the last byte at points of a deploy
 * the test can observe, then freed. Each point shows: the deploy is reported as failed (or its error
 * says the record cannot be written; or as succeeded when a page freed meanwhile let it go live, and
 * then it is live and recorded so), no record is corrupt (every meta.json parses and, once the disk
 * is free, every deployment is finished), the app still serves its last good version (nothing it had
 * is lost), and the next deploy works. One summary line per point says what it left.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { test } from 'node:test'
import type { DeployEvent } from '../../src-main/core/deploy/deployer'
import { sh } from '../../src-main/core/shell/quote'
import { busyboxApp, deployTestbed, webApp, writeFiles, type DeployBed } from './deploy-support'

const root = (command: string) => execFileSync('sh', ['-c', command], { encoding: 'utf8' })

/** A tmpfs of `size` at ~USER/.PREFIX/apps, owned by the user; unmounted after the test. */
function smallDisk(t: { after(fn: () => void): void }, bed: DeployBed, size: string) {
  const home = root(sh`getent passwd ${bed.server.user} | cut -d: -f6`).trim()
  const mount = `${home}/.${bed.prefix}/apps`
  const owner = root(sh`id -u ${bed.server.user}`).trim() + ':' + root(sh`id -g ${bed.server.user}`).trim()
  root(
    sh`mkdir -p ${mount} && mount -t tmpfs -o ${`size=${size},mode=0700,uid=${owner.split(':')[0]},gid=${owner.split(':')[1]}`} tmpfs ${mount}`,
  )
  t.after(() => root(sh`umount -l ${mount}; rm -rf ${`${home}/.${bed.prefix}`}; true`))
  return {
    /** Fills the disk to the last byte (as root, like any other writer on the server). */
    fill: () => root(sh`cat /dev/zero >${`${mount}/.fill`} 2>/dev/null; true`),
    free: () => root(sh`rm -f ${`${mount}/.fill`}`),
    /** Every meta.json of `app`: each must parse. */
    records: (app: string) =>
      root(sh`cat ${mount}/${app}/deployments/*/meta.json 2>/dev/null; true`)
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, string>),
  }
}

test('a full disk at each point of a deploy fails that deploy, corrupts no record, loses nothing, and the next deploy works', async (t) => {
  const bed = await deployTestbed(t)
  if (!bed) return
  if (process.getuid?.() !== 0) return t.skip('mounting a tmpfs needs root')
  const disk = smallDisk(t, bed, '8m')
  const app = { ...webApp('full'), health: { path: '/index.html', intervalS: 1, startPeriodS: 20 } }
  const folder = await bed.folder(busyboxApp(bed.server.images.busybox, 'v0\n'))
  const deploy = (onEvent?: (event: DeployEvent | { type: 'uploaded' }) => void) =>
    bed.deployer.deploy(
      bed.target,
      { app, source: { kind: 'folder', path: folder }, serverAddress: '127.0.0.1' },
      { onEvent },
    )
  assert.equal((await deploy()).status, 'succeeded')

  const busybox = bed.server.images.busybox
  // Each point: the app's files for that deploy, and the event at which the disk fills.
  const points: {
    name: string
    files: Record<string, string>
    at?: (event: DeployEvent | { type: 'uploaded' }) => boolean
  }[] = [
    { name: 'before the deploy starts (upload, request, first record)', files: busyboxApp(busybox, 'p1\n') },
    {
      name: 'during the build log',
      files: busyboxApp(busybox, 'p2\n', [
        'RUN echo fill-now && sleep 3 && i=0 && while [ $i -lt 2000 ]; do echo line $i; i=$((i+1)); done',
      ]),
      at: (e) => e.type === 'log' && e.line.includes('fill-now'),
    },
    {
      name: 'in the finish trap (the new container dies during its health check)',
      files: {
        ...busyboxApp(busybox, 'p3\n'),
        Dockerfile: `FROM ${busybox}\nCOPY www /www\nCMD ["sh", "-c", "sleep 4; echo dying; exit 3"]\n`,
      },
      at: (e) => e.type === 'step' && e.step === 'health' && e.status === 'running',
    },
    {
      name: 'at the switch and going live (healthy after 4 s)',
      files: {
        ...busyboxApp(busybox, 'p4\n'),
        Dockerfile: `FROM ${busybox}\nCOPY www /www\nCMD ["sh", "-c", "sleep 4; exec httpd -f -p 8080 -h /www"]\n`,
      },
      at: (e) => e.type === 'step' && e.step === 'health' && e.status === 'running',
    },
  ]
  let good = 'v0\n'
  for (const [index, point] of points.entries()) {
    await writeFiles(folder, point.files)
    if (!point.at) disk.fill()
    let outcome: string
    try {
      const result = await deploy((event) => point.at?.(event) && disk.fill())
      outcome = `${result.status} ${result.error?.code ?? ''}`.trim()
      if (result.status === 'succeeded') good = point.files['www/index.html'] ?? good
    } catch (error) {
      outcome = `error ${(error as { code?: string }).code ?? (error as Error).message}`
    }
    const served: string = (await bed.get('full.test')).body
    disk.free()

    // With the disk free, the history finishes what the full disk left running.
    const { deployments, current } = await bed.deployer.history(bed.target, 'full')
    const records = disk.records('full')
    assert.equal(records.length, deployments.length, 'every deployment has a readable record')
    const unfinished = deployments.filter((d) => d.status !== 'succeeded' && d.status !== 'failed')
    assert.deepEqual(unfinished, [], `point ${index + 1}: every deployment is finished`)
    const last = deployments.at(-1)
    // What it reports is what happened: a success (a page freed meanwhile) is live and recorded so.
    assert.match(outcome, /^(failed|error|succeeded)\b/, `point ${index + 1}: ${outcome}`)
    if (outcome === 'succeeded') assert.equal(last?.id, current)
    else assert.notEqual(last?.status, 'succeeded', `point ${index + 1} is reported as a failure`)
    assert.equal(served, good, `point ${index + 1}: the last good version still serves during the fault`)
    assert.equal((await bed.get('full.test')).body, good, 'and after it')

    // The next deploy works.
    const page = `after ${index + 1}\n`
    await writeFiles(folder, busyboxApp(busybox, page))
    const next = await deploy()
    assert.equal(
      next.status,
      'succeeded',
      `the deploy after point ${index + 1}: ${JSON.stringify(next.error)}`,
    )
    assert.equal((await bed.get('full.test')).body, page)
    good = page
    console.log(
      `fault point ${index + 1} (${point.name}): deploy reported ${outcome}; its record ` +
        `${last && last.id !== current ? `${last.status} ${last.error?.code ?? ''}`.trim() : 'none (nothing kept)'}; ` +
        `${records.length} records, all readable and finished; the previous version served throughout; next deploy succeeded`,
    )
  }
})

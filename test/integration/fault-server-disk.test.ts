/**
 * A full disk on the server, for real: the app records of this test's prefix (~/.P/apps of the test
 * user) live on a small tmpfs of their own (mounted as root: the test server is this machine; only
 * this test's prefix, never a folder other tests use), filled to the last byte at points of a deploy
 * the test can observe, then freed. Each point shows: the deploy is reported as failed (or its error
 * says the record cannot be written; or as succeeded when a page freed meanwhile let it go live, and
 * then it is live and recorded so), no record is corrupt (every meta.json parses and, once the disk
 * is free, every deployment is finished), the app still serves its last good version (nothing it had
 * is lost), and the next deploy works. One summary line per point says what it left.
 * test-run: alone (test/run.sh): its faults are timed to points of a deploy, so no other file runs beside it.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { test } from 'node:test'
import type { DeployEvent } from '../../src-main/core/deploy/deployer'
import { sh } from '../../src-main/core/shell/quote'
import { fileURLToPath } from 'node:url'
import { loadScriptBundle } from '../../src-main/core/remote/script-bundle'
import { scriptsFolder } from '../../src-main/core/remote/script-runner'
import { busyboxApp, deployTestbed, webApp, writeFiles, type DeployBed } from './deploy-support'
import { gitRepo } from './git-support'
import { unavailable } from '../support/test-server'
import type { AppHistory } from '../../src-main/core/deploy/deployment-record'
import { until } from '../support/until'

const SCRIPTS_DIR = fileURLToPath(new URL('../../remote-scripts', import.meta.url))

const root = (command: string) => execFileSync('sh', ['-c', command], { encoding: 'utf8' })

/**
 * A tmpfs of `size` at each of ~USER/.PREFIX/`folders`, owned by the user; unmounted after the test.
 * Mounted as root: the test server is this machine.
 */
function smallDisk(t: { after(fn: () => void): void }, bed: DeployBed, folders: string[], size: string) {
  const home = root(sh`getent passwd ${bed.server.user} | cut -d: -f6`).trim()
  const base = `${home}/.${bed.prefix}`
  const uid = root(sh`id -u ${bed.server.user}`).trim()
  const gid = root(sh`id -g ${bed.server.user}`).trim()
  const mounts = folders.map((folder) => `${base}/${folder}`)
  const fillers: string[] = []
  t.after(() =>
    root(sh`kill ${fillers} 2>/dev/null; for m in ${mounts}; do umount -l "$m"; done; rm -rf ${base}; true`),
  )
  for (const mount of mounts) {
    root(sh`mkdir -p ${mount} && chown ${`${uid}:${gid}`} ${base} ${mount}`)
    root(sh`mount -t tmpfs -o ${`size=${size},mode=0700,uid=${uid},gid=${gid}`} tmpfs ${mount}`)
  }
  return {
    base,
    /**
     * Fills every mount to the last byte and keeps it full (as root, like another writer on the
     * server): a page a deploy frees is taken again within 20 ms, until `free`.
     */
    fill: () => {
      for (const mount of mounts) {
        const file = `${mount}/.fill`
        root(sh`cat /dev/zero >${file} 2>/dev/null; true`)
        fillers.push(
          root(
            sh`setsid sh -c ${`while :; do cat /dev/zero >>"$1" 2>/dev/null; sleep 0.02; done`} sh ${file} ` +
              '</dev/null >/dev/null 2>&1 & echo $!',
          ).trim(),
        )
      }
    },
    free: () => {
      root(sh`kill ${fillers.splice(0)} 2>/dev/null; true`)
      mounts.forEach((mount) => root(sh`rm -f ${`${mount}/.fill`}`))
    },
    /** Every meta.json of `app`: each must parse. */
    records: (app: string) =>
      root(sh`cat ${base}/apps/${app}/deployments/*/meta.json 2>/dev/null; true`)
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, string>),
  }
}

test('a full disk at each point of a deploy fails that deploy, corrupts no record, loses nothing, and the next deploy works', async (t) => {
  const bed = await deployTestbed(t)
  if (!bed) return
  if (process.getuid?.() !== 0) return unavailable(t, 'a small disk', 'mounting a tmpfs needs root')
  const disk = smallDisk(t, bed, ['apps'], '8m')
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

    // With the disk free, the history finishes what the full disk left running, once the deploy's
    // supervisor has ended: a deploy that failed in its finish trap may still be removing its container.
    const finished = (d: { status: string }) => d.status === 'succeeded' || d.status === 'failed'
    const { deployments, current } = await until<AppHistory>(
      `point ${index + 1}: every deployment finished`,
      120_000,
      async (): Promise<AppHistory | undefined> => {
        const now: AppHistory = await bed.deployer.history(bed.target, 'full')
        return now.deployments.every(finished) ? now : undefined
      },
    )
    const records = disk.records('full')
    assert.equal(records.length, deployments.length, 'every deployment has a readable record')
    const last = deployments.at(-1)
    // What it reports is what happened: a success (a page freed meanwhile) is live and recorded so.
    assert.match(outcome, /^(failed|error|succeeded)\b/, `point ${index + 1}: ${outcome}`)
    if (outcome === 'succeeded') assert.equal(last?.id, current)
    else
      assert.ok(
        last?.id === current || last?.status === 'failed',
        `point ${index + 1}: a failure leaves no record, or a failed one: ${JSON.stringify(last)}`,
      )
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

test('a full disk while the push agent takes a push and while it records a deploy loses no push and reports every end', async (t) => {
  const bed = await deployTestbed(t)
  if (!bed) return
  if (process.getuid?.() !== 0) return unavailable(t, 'a small disk', 'mounting a tmpfs needs root')
  const disk = smallDisk(t, bed, ['apps', 'relay'], '8m')
  const busybox = bed.server.images.busybox
  const repo = await gitRepo(t, bed.server)
  const app = { ...webApp('pushed'), health: { path: '/index.html', intervalS: 1 } }
  await repo.commit(busyboxApp(busybox, 'first\n'))
  const first = await bed.deployer.deploy(bed.target, {
    app,
    source: { kind: 'git', url: repo.path },
    serverAddress: '127.0.0.1',
  })
  assert.equal(first.status, 'succeeded', JSON.stringify(first.error))

  // The push agent of this prefix, from the scripts the deploy uploaded; the test plays the relay.
  const { hash } = await loadScriptBundle(SCRIPTS_DIR)
  const spool = `${disk.base}/relay/spool`
  await bed.run(sh`mkdir -p ${`${spool}/jobs`}`)
  const agent = (
    await bed.run(
      sh`setsid sh "$HOME"/${`${scriptsFolder(bed.prefix)}/${hash}/push-agent.sh`} --prefix ${bed.prefix} ` +
        sh`</dev/null >>${`${disk.base}/relay/agent.log`} 2>&1 & echo $!`,
    )
  ).trim()
  t.after(() => root(sh`kill ${agent} 2>/dev/null; true`))
  const alive = () => root(sh`kill -0 ${agent} 2>/dev/null && echo yes || echo no`).trim() === 'yes'
  /**
   * A job as the relay writes it (beside, then renamed: a rename needs no free space), then a byte in
   * the FIFO the agent waits on, as the relay wakes it.
   */
  const job = async (seq: number, page: string) => {
    const commit = await repo.commit({ 'www/index.html': page })
    const text = `seq=${seq}\ndelivery=d-${seq}\napp=pushed\ncommit=${commit}\nref=refs/heads/main\n`
    await bed.run(sh`printf '%s' ${text} >${`${spool}/jobs/${seq}.tmp`}`)
    return () =>
      bed.run(
        sh`mv ${`${spool}/jobs/${seq}.tmp`} ${`${spool}/jobs/${seq}.job`} && ` +
          // Bounded: opening the FIFO waits for a reader, and a dead agent is for the test to report.
          sh`timeout 10 sh -c '[ ! -p "$1" ] || printf x >"$1"' sh ${`${spool}/wake`} || true`,
      )
  }
  const outcome = (seq: number) =>
    until(`the outcome of push ${seq}`, 120_000, async () => {
      const text = root(
        sh`cat ${spool}/outcomes/${`${seq}-`}deployed.out ${spool}/outcomes/${`${seq}-`}failed.out 2>/dev/null; true`,
      )
      return /status=(deployed|failed)/.exec(text)?.[1]
    })
  const deployPushRuns = () =>
    root(sh`pgrep -u ${bed.server.user} -f ${`deploy-push.sh --prefix ${bed.prefix} `} || true`).trim() !== ''

  // 1. The disk is full when the agent takes the push: the deploy cannot start; once the disk is free
  //    its failure is reported, and the job is done, not lost nor left to retry forever.
  const take1 = await job(1, 'push one\n')
  disk.fill()
  await take1()
  // The agent retries a write every second (keep_writing's `sleep 1`; between jobs it waits for a wake).
  const waiting = await until('the agent to try push 1 and wait to report it', 120_000, async () => {
    if (!alive()) return 'the agent died'
    return root(sh`ps -o args= --ppid ${agent} || true`).includes('sleep 1') ? 'waiting' : undefined
  })
  assert.equal(waiting, 'waiting')
  assert.ok(!deployPushRuns() && root(sh`ls ${`${spool}/jobs`}`).includes('1.job'), 'the job waits')
  disk.free()
  const one = await outcome(1)
  assert.ok(alive(), 'the agent survived the full disk')
  await until('push 1 to be done', 30_000, async () =>
    root(sh`ls ${`${spool}/done`}`).includes('1.job') ? true : undefined,
  )
  console.log(
    `fault point push 1 (disk full as the agent takes a push): reported ${one}; job done; agent alive`,
  )

  // 2. The disk fills the moment the deploy goes live: the agent records its end once it can.
  const take2 = await job(2, 'push two\n')
  await take2()
  const id = await until(
    'push 2 to start',
    120_000,
    async () =>
      root(
        sh`cat ${`${spool}/jobs/2.started`} ${`${spool}/outcomes/2-failed.out`} 2>/dev/null; true`,
      ).trim() || undefined,
  ).catch((error: Error) => {
    const tree = root(sh`ps -o pid,args --forest -s "$(ps -o sid= -p ${agent} | tr -d ' ')" || true`)
    const log = root(sh`cat ${`${disk.base}/relay/agent.log`} 2>&1; ls -la ${spool}/* 2>&1; true`)
    throw new Error(`${error.message}\n${tree}\n${log}`)
  })
  assert.match(id, /^\d{8}-\d{6}-[0-9a-f]{4}$/, `push 2 starts a deploy: ${id}`)
  const log = `${disk.base}/apps/pushed/deployments/${id}/log`
  await until('push 2 to go live', 180_000, async () =>
    root(sh`grep -c 'step=deploy status=' ${log} || true`).trim() !== '0' ? true : undefined,
  )
  disk.fill()
  await until('the supervisor of push 2 to end', 120_000, async () =>
    root(
      sh`kill -0 "$(cat ${`${disk.base}/apps/pushed/deployments/${id}/pid`})" 2>/dev/null && echo run || true`,
    ).trim() === ''
      ? true
      : undefined,
  )
  disk.free()
  const two = await outcome(2)
  const { deployments, current } = await bed.deployer.history(bed.target, 'pushed')
  const record = deployments.find((d) => d.id === id)
  const served = (await bed.get('pushed.test')).body
  assert.equal(two === 'deployed', record?.status === 'succeeded', `outcome ${two}, record ${record?.status}`)
  assert.equal(served, two === 'deployed' ? 'push two\n' : 'first\n')
  assert.equal(current === id, two === 'deployed')
  assert.deepEqual(
    deployments.filter((d) => d.status !== 'succeeded' && d.status !== 'failed'),
    [],
    'every deployment is finished',
  )
  disk.records('pushed')
  console.log(
    `fault point push 2 (disk full as the deploy goes live): reported ${two}; record ${record?.status}; serves ${JSON.stringify(served)}`,
  )

  // 3. The next push deploys.
  await (
    await job(3, 'push three\n')
  )()
  assert.equal(await outcome(3), 'deployed')
  await until('push 3 to be done', 30_000, async () =>
    root(sh`ls ${`${spool}/done`}`).includes('3.job') ? true : undefined,
  )
  assert.equal(root(sh`ls ${`${spool}/jobs`}`), '', 'a done job leaves nothing in jobs/ (nor its .started)')
  assert.equal((await bed.get('pushed.test')).body, 'push three\n')
  assert.ok(alive())
})

/**
 * Scheduled backups run by the server itself (remote-scripts/backup-agent.sh), with the real backup
 * pipeline (db-backup.sh) of a seeded Postgres to a local S3 server (s3rver: a stand-in for a cloud
 * bucket, which this machine cannot reach): a backup appears with no client connected; a run missed
 * while the agent was down is caught up exactly once; a failed run and a database gone stale are
 * POSTed to a webhook (an HTTP server of this test on 127.0.0.1, which the agent on the test server,
 * this machine, reaches).
 */
import assert from 'node:assert/strict'
import { existsSync, readdirSync } from 'node:fs'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { fileURLToPath } from 'node:url'
import { parseSchedule, scheduleOptions } from '../../src-main/core/databases/backup-schedule'
import { ScriptRunner } from '../../src-main/core/remote/script-runner'
import { databasePath, serverPath } from '../../src-main/core/rules/layout'
import { quote, sh } from '../../src-main/core/shell/quote'
import { until } from '../support/until'
import { backupBed, type BackupBed } from './backup-support'
import { keyLogin } from './provision-support'

const SCRIPTS_DIR = fileURLToPath(new URL('../../remote-scripts', import.meta.url))

interface Post {
  type: string | undefined
  body: Record<string, unknown>
}

async function webhookReceiver(t: TestContext) {
  const posts: Post[] = []
  const server = createServer((request, response) => {
    let text = ''
    request.on('data', (chunk: Buffer) => (text += chunk.toString()))
    request.on('end', () => {
      posts.push({ type: request.headers['content-type'], body: JSON.parse(text) as Record<string, unknown> })
      response.end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise((resolve) => server.close(resolve)))
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`, posts }
}

/** Sets the schedule over a connection of its own, as a face does, and closes it: nothing stays connected. */
async function scheduleAndDisconnect(bed: BackupBed, every: string, webhook: string): Promise<void> {
  const client = keyLogin(bed.server)
  try {
    const schedule = parseSchedule({
      name: 'shop',
      every,
      to: 'store',
      keepDaily: 7,
      keepWeekly: 4,
      keepMonthly: 6,
      drillEvery: 'off',
      webhook,
    })
    const scripts = new ScriptRunner({ scriptsDir: SCRIPTS_DIR, prefix: bed.prefix })
    const { facts } = await scripts.call(client, 'db.schedule', scheduleOptions(bed.prefix, 'shop', schedule))
    assert.match(facts.agent ?? '', /^[0-9]+$/)
  } finally {
    client.close()
  }
}

test('the server backs up on schedule with nothing connected, catches a missed run up once, tells a webhook', async (t) => {
  const bed = await backupBed(t)
  if (!bed) return
  await bed.database('postgres', 'shop')
  await bed.installTarget('store')
  const hook = await webhookReceiver(t)
  /** A path under the test user's home, quoted for the shell. */
  const home = (path: string) => `"$HOME"/${quote(path)}`
  const dbDir = databasePath(bed.prefix, 'shop', 'db_schedule').replace(/\/schedule$/, '')
  const agentsDir = serverPath(bed.prefix, 'databases_dir')
  const onServer = async (command: string) => (await bed.run(command)).trim()
  const agentPid = () => onServer(`cat ${home(`${agentsDir}/agent.pid`)}`)
  /** Ends the agent: each leads its own process group (setsid), the backup it runs included. */
  const stopAgent = async (pid: string) =>
    bed.run(sh`kill -- -${pid} 2>/dev/null; while kill -0 ${pid} 2>/dev/null; do sleep 0.1; done`)
  const runsStarted = async () =>
    Number(await onServer(`grep -c 'shop: backing up' ${home(`${agentsDir}/agent.log`)} || true`))
  const setState = (key: string, value: string) =>
    bed.run(
      `f=${home(databasePath(bed.prefix, 'shop', 'db_schedule_state'))}; ` +
        sh`{ grep -v ${`^${key}=`} "$f"; echo ${`${key}=${value}`}; } >"$f.t" && mv -f "$f.t" "$f"`,
    )
  /** Wakes the agent and waits until it looked at the schedules again (it touches its pid file then). */
  const nextLook = async () => {
    const pidFile = home(`${agentsDir}/agent.pid`)
    const before = await onServer(`stat -c %.9Y ${pidFile}`)
    await bed.run(`printf x 1<>${home(`${agentsDir}/agent.wake`)}`)
    await until('the agent to look again', 60_000, async () =>
      (await onServer(`stat -c %.9Y ${pidFile}`)) !== before ? true : undefined,
    )
  }
  /** The manifests in the bucket (s3rver keeps each object as the file `KEY._S3rver_object`). */
  const manifests = () => {
    const root = join(bed.s3.dir, bed.s3.bucket)
    if (!existsSync(root)) return []
    return readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((path) => path.endsWith('.manifest.json._S3rver_object'))
      .map((path) => path.slice(0, -'._S3rver_object'.length))
  }

  const started = Date.now()
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`

  // 1. Scheduled every minute; the client disconnects at once. The agent's first run is due at once.
  await scheduleAndDisconnect(bed, '1m', hook.url)
  const first = await agentPid()
  bed.cleanup(sh`kill -- -${first} 2>/dev/null; true`)
  assert.equal(await onServer(sh`ps -o sid= -p ${first}`), first, 'the agent leads a session of its own')
  await until('a verified backup in the bucket, with no client connected', 300_000, async () =>
    manifests().length > 0 ? true : undefined,
  )
  t.diagnostic(`first scheduled backup verified after ${elapsed()}`)
  const [manifestKey] = manifests()
  assert.match(manifestKey ?? '', /^helvetia\/shop\/[0-9]{8}T[0-9]{6}Z-[0-9a-f]{4}\.manifest\.json$/)
  const lastBackup = await until('the run recorded in the schedule state', 60_000, async () => {
    const state = await onServer(`cat ${home(`${dbDir}/schedule.state`)}`)
    return /^last_result=verified$/m.test(state) ? state : undefined
  })
  assert.match(lastBackup, /^last_backup=[0-9]{8}T[0-9]{6}Z-[0-9a-f]{4}$/m)

  // 2. The S3 server goes down: the next run (a minute on) fails and the webhook hears of it; 1.5
  // minutes after the last good backup the database is stale, and the webhook is told once.
  await bed.s3.stop()
  const failed = await until('the webhook to hear of the failure', 300_000, async () =>
    hook.posts.find((post) => post.body.event === 'backup-failed'),
  )
  t.diagnostic(`failed run told after ${elapsed()}`)
  assert.equal(failed.type, 'application/json')
  assert.deepEqual(Object.keys(failed.body).sort(), ['at', 'database', 'event', 'message', 'server'])
  assert.equal(failed.body.database, 'shop')
  assert.match(String(failed.body.message), /The scheduled backup to store failed: .+/)
  assert.match(await onServer(`cat ${home(`${dbDir}/schedule.state`)}`), /^last_result=failed$/m)
  await until('the webhook to hear the database went stale', 300_000, async () =>
    hook.posts.find((post) => post.body.event === 'backup-stale'),
  )
  t.diagnostic(`stale told after ${elapsed()}`)
  await nextLook()
  await nextLook()
  assert.equal(
    hook.posts.filter((post) => post.body.event === 'backup-stale').length,
    1,
    'stale is told once',
  )
  for (const post of hook.posts) {
    assert.doesNotMatch(JSON.stringify(post.body), /S3RVER|pw-0f3c9a/, 'no secret in what the webhook hears')
  }

  // 3. S3 is back and the schedule is once a day now (so no run is due); then the agent is down for
  // "days": it starts again and runs the missed backup once, not once per missed day.
  await bed.s3.start()
  await scheduleAndDisconnect(bed, '1d', hook.url)
  await nextLook()
  const before = await runsStarted()
  await stopAgent(first)
  await setState('last_run', '1000000000')
  const [hash] = (await onServer(`ls -d ${home(serverPath(bed.prefix, 'scripts_dir'))}/*/`)).split('\n')
  await bed.run(sh`setsid sh ${`${hash}backup-agent.sh`} --prefix ${bed.prefix} </dev/null >/dev/null 2>&1 &`)
  const second = await until('the new agent', 30_000, async () => {
    const pid = await agentPid()
    return pid !== first ? pid : undefined
  })
  bed.cleanup(sh`kill -- -${second} 2>/dev/null; true`)
  await until('the caught-up run to finish', 300_000, async () =>
    (await runsStarted()) === before + 1 &&
    /^last_result=verified$/m.test(await onServer(`cat ${home(`${dbDir}/schedule.state`)}`))
      ? true
      : undefined,
  )
  t.diagnostic(`caught-up run verified after ${elapsed()}`)
  await nextLook()
  await nextLook()
  assert.equal(await runsStarted(), before + 1, 'exactly one caught-up run')
})

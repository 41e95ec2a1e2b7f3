/**
 * The backup agent's scheduling (remote-scripts/backup-agent.sh, lib/db-schedule.sh) run on this
 * computer, in a home folder of the test's own. The jobs it runs are stand-ins here: db-backup.sh,
 * db-retention.sh and db-drill.sh are replaced by scripts that record their call and report a verified
 * backup (or fail when told to), so that what is tested is when the agent runs what, and what it tells
 * the webhook. test/integration/db-schedule.test.ts runs the real backup against the test server.
 */
import assert from 'node:assert/strict'
import { cpSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { fileURLToPath } from 'node:url'
import { sh } from '../../src-main/core/shell/quote'
import { LocalTarget } from '../../src-main/core/targets/local-target'
import { tempHome } from '../support/temp-home'
import { until } from '../support/until'

const SCRIPTS = fileURLToPath(new URL('../../remote-scripts', import.meta.url))
const PREFIX = 'agent-test'

/** Records `NAME ARGS` in ~/calls; db-backup.sh fails while ~/fail exists, else records a verified run. */
const STAND_IN = `#!/bin/sh
set -eu
echo "$(basename "$0") $*" >>"$HOME/calls"
case $0 in *db-backup.sh) ;; *) exit 0 ;; esac
if [ -f "$HOME/fail" ]; then
  echo '::helvetia:: step=upload status=failed code=BACKUP_FAILED The S3 endpoint did not answer'
  exit 1
fi
id=$(date -u +%Y%m%dT%H%M%SZ)-$(od -An -N2 -tx1 /dev/urandom | tr -d ' \\n')
dir="$HOME/.$2/databases/$4/backups"
mkdir -p "$dir"
printf '{"id":"%s","target":"%s","state":"verified"}\\n' "$id" "$6" >"$dir/$id.json"
echo "::helvetia:: fact id=$id"
`

interface Bed {
  home: string
  run(command: string): Promise<string>
  /** `db-schedule.sh` with these options (the prefix and database given). */
  schedule(...options: string[]): Promise<string>
  calls(): string[]
  databaseDir: string
  databasesDir: string
  /** Sets KEY in the schedule's state file, as the agent writes it (whole, renamed over it). */
  setState(key: string, value: number): void
  /** Waits until the agent looked at the schedules again after now (woken through its FIFO). */
  nextLook(): Promise<void>
}

async function agentBed(t: TestContext): Promise<Bed> {
  const home = tempHome(t)
  const scripts = join(home, 'scripts')
  cpSync(SCRIPTS, scripts, { recursive: true })
  for (const name of ['db-backup.sh', 'db-retention.sh', 'db-drill.sh']) {
    writeFileSync(join(scripts, name), STAND_IN)
  }
  const databasesDir = join(home, `.${PREFIX}`, 'databases')
  const databaseDir = join(databasesDir, 'shop')
  mkdirSync(databaseDir, { recursive: true })
  writeFileSync(join(databaseDir, 'database.json'), '{"name":"shop"}\n')
  mkdirSync(join(home, `.${PREFIX}`, 'backup-targets'), { recursive: true })
  writeFileSync(join(home, `.${PREFIX}`, 'backup-targets', 'store'), 'HELVETIA_TARGET_BUCKET=b\n')
  const target = new LocalTarget({ env: { PATH: process.env.PATH, HOME: home, TZ: 'UTC' } })
  const run = async (command: string) => {
    const result = await target.exec(command)
    if (result.code !== 0)
      throw new Error(`${command}: exit ${result.code}: ${result.stdout}${result.stderr}`)
    return result.stdout
  }
  const pidFile = join(databasesDir, 'agent.pid')
  // The agents this test started: each leads its own process group (setsid).
  t.after(() => run(sh`kill -- -"$(cat ${pidFile})" 2>/dev/null; true`))
  const lookedAt = () => statSync(pidFile).mtimeMs
  return {
    home,
    run,
    databaseDir,
    databasesDir,
    schedule: (...options) =>
      run(sh`sh ${join(scripts, 'db-schedule.sh')} --prefix ${PREFIX} --database shop ${options}`),
    calls: () => {
      try {
        return readFileSync(join(home, 'calls'), 'utf8').trim().split('\n')
      } catch {
        return []
      }
    },
    setState: (key, value) => {
      const state = join(databaseDir, 'schedule.state')
      const lines = readFileSync(state, 'utf8')
        .split('\n')
        .filter((line) => line && !line.startsWith(`${key}=`))
      writeFileSync(`${state}.test`, [...lines, `${key}=${value}`, ''].join('\n'))
      renameSync(`${state}.test`, state)
    },
    nextLook: async () => {
      const before = lookedAt()
      await run(sh`printf x 1<>${join(databasesDir, 'agent.wake')}`)
      await until('the agent to look again', 30_000, async () => (lookedAt() > before ? true : undefined))
    },
  }
}

const SCHEDULE = ['--action', 'set', '--target', 'store', '--keep-daily', '7', '--keep-weekly', '4']

async function webhookReceiver(t: TestContext) {
  const posts: { method: string; type: string | undefined; body: Record<string, string> }[] = []
  const server = createServer((request, response) => {
    let text = ''
    request.on('data', (chunk: Buffer) => (text += chunk.toString()))
    request.on('end', () => {
      posts.push({
        method: request.method ?? '',
        type: request.headers['content-type'],
        body: JSON.parse(text) as Record<string, string>,
      })
      response.end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise((resolve) => server.close(resolve)))
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`, posts }
}

test('a new schedule backs up at once, then retention with its keep-*; a missed run is caught up once', async (t) => {
  const bed = await agentBed(t)
  const out = await bed.schedule(...SCHEDULE, '--keep-monthly', '6', '--every', '1d', '--drill-every', 'off')
  assert.match(out, /fact agent=[0-9]+/)
  await until('the first backup and its retention', 30_000, async () =>
    bed.calls().length >= 2 ? true : undefined,
  )
  assert.deepEqual(bed.calls(), [
    `db-backup.sh --prefix ${PREFIX} --database shop --target store`,
    `db-retention.sh --prefix ${PREFIX} --database shop --target store --keep-daily 7 --keep-weekly 4 --keep-monthly 6`,
  ])
  // Not due again within the interval.
  await bed.nextLook()
  assert.equal(bed.calls().length, 2)

  // The agent is down for "days": its last run is far in the past when it starts again.
  const pid = readFileSync(join(bed.databasesDir, 'agent.pid'), 'utf8').trim()
  await bed.run(sh`kill -- -${pid}; while kill -0 ${pid} 2>/dev/null; do sleep 0.1; done`)
  bed.setState('last_run', 1000000000)
  await bed.run(
    sh`setsid sh ${join(bed.home, 'scripts', 'backup-agent.sh')} --prefix ${PREFIX} </dev/null >/dev/null 2>&1 &`,
  )
  await until('the catch-up run', 30_000, async () => (bed.calls().length >= 4 ? true : undefined))
  await bed.nextLook()
  await bed.nextLook()
  assert.equal(
    bed.calls().filter((call) => call.startsWith('db-backup.sh')).length,
    2,
    bed.calls().join('\n'),
  )
})

test('a failed backup and a database gone stale are POSTed to the webhook, stale only once', async (t) => {
  const bed = await agentBed(t)
  const hook = await webhookReceiver(t)
  writeFileSync(join(bed.home, 'fail'), '')
  await bed.schedule(...SCHEDULE, '--keep-monthly', '0', '--every', '1h', '--webhook', hook.url)
  const failed = await until('the failure POST', 30_000, async () => hook.posts[0])
  assert.equal(failed.method, 'POST')
  assert.equal(failed.type, 'application/json')
  assert.deepEqual(Object.keys(failed.body).sort(), ['at', 'database', 'event', 'message', 'server'])
  assert.equal(failed.body.database, 'shop')
  assert.equal(failed.body.event, 'backup-failed')
  assert.match(failed.body.message ?? '', /The S3 endpoint did not answer \(BACKUP_FAILED\)/)
  assert.ok(!bed.calls().some((call) => call.startsWith('db-retention.sh')), 'no retention after a failure')

  // Scheduled two hours ago and never a good backup: stale (1.5 × 1h), told once.
  await bed.nextLook()
  bed.setState('since', Math.floor(Date.now() / 1000) - 7200)
  await bed.nextLook()
  await bed.nextLook()
  assert.deepEqual(
    hook.posts.map((post) => post.body.event),
    ['backup-failed', 'backup-stale'],
  )
  assert.match(readFileSync(join(bed.databasesDir, 'agent.log'), 'utf8'), /shop: stale/)
})

test('a drill of the newest verified backup runs every drill interval', async (t) => {
  const bed = await agentBed(t)
  await bed.schedule(...SCHEDULE, '--keep-monthly', '0', '--every', '1d', '--drill-every', '7d')
  await until('the first backup', 30_000, async () => (bed.calls().length >= 2 ? true : undefined))
  await bed.nextLook()
  bed.setState('since', Math.floor(Date.now() / 1000) - 8 * 86400)
  await bed.nextLook()
  const drills = bed.calls().filter((call) => call.startsWith('db-drill.sh'))
  const [id] = (await bed.run(sh`ls ${join(bed.databaseDir, 'backups')}`)).trim().split('\n')
  assert.deepEqual(drills, [
    `db-drill.sh --prefix ${PREFIX} --database shop --backup ${id?.replace(/\.json$/, '')}`,
  ])
})

test('unscheduling removes the schedule and the agent stops when none is left', async (t) => {
  const bed = await agentBed(t)
  await bed.schedule(...SCHEDULE, '--keep-monthly', '0', '--every', '1d')
  const pid = readFileSync(join(bed.databasesDir, 'agent.pid'), 'utf8').trim()
  assert.match(await bed.schedule('--action', 'remove'), /changed=1/)
  await until('the agent to stop', 30_000, async () =>
    (await bed.run(sh`kill -0 ${pid} 2>/dev/null && echo alive || echo gone`)).trim() === 'gone'
      ? true
      : undefined,
  )
  assert.match(await bed.schedule('--action', 'remove'), /changed=0/)
})

test('the schedule is checked: an interval, --at only with days, an http(s) webhook', async (t) => {
  const bed = await agentBed(t)
  const refused = async (...options: string[]) =>
    (
      await new LocalTarget({ env: { PATH: process.env.PATH, HOME: bed.home } }).exec(
        sh`sh ${join(bed.home, 'scripts', 'db-schedule.sh')} --prefix ${PREFIX} --database shop ${[...SCHEDULE, '--keep-monthly', '0', ...options]}`,
      )
    ).stdout
  assert.match(await refused('--every', '1w'), /code=INVALID_OPTION Invalid every: "1w"/)
  assert.match(await refused('--every', '0m'), /code=INVALID_OPTION/)
  assert.match(await refused('--every', '6h', '--at', '03:00'), /--at 03:00 needs an interval in days/)
  assert.match(await refused('--every', '1d', '--at', '24:00'), /Invalid at/)
  assert.match(await refused('--every', '1d', '--webhook', 'file:///etc/passwd'), /Invalid webhook/)
  assert.match(await refused('--every', '1d', '--webhook', "http://x/'$(id)"), /Invalid webhook/)
  assert.match(await refused('--every', '1d', '--drill-every', 'weekly'), /Invalid drill-every/)
  assert.match(await refused('--every', '1d', '--target', 'elsewhere'), /code=BACKUP_TARGET_NOT_FOUND/)
})

test('backup_due: at once when never run, once an interval passed, at a time of day, one catch-up', async (t) => {
  const bed = await agentBed(t)
  const libs = ['progress', 'rules', 'validate', 'db-schedule'].map((lib) =>
    join(SCRIPTS, 'lib', `${lib}.sh`),
  )
  const due = async (now: number, last: string, since: string, every: string, at = '') =>
    (
      await bed.run(
        `${libs.map((lib) => sh`. ${lib}`).join('; ')}; ` +
          sh`if backup_due ${String(now)} ${last} ${since} ${every} ${at}; then echo due; else echo wait; fi`,
      )
    ).trim()
  const now = Math.floor(Date.now() / 1000)
  assert.equal(await due(now, '', String(now), '1h'), 'due')
  assert.equal(await due(now, String(now - 3599), '', '1h'), 'wait')
  assert.equal(await due(now, String(now - 3600), '', '1h'), 'due')
  assert.equal(await due(now, '1000000000', '', '30m'), 'due')
  // --at: the test's clock is UTC; the time of day one minute ago (the slot) and ten minutes from now.
  const clock = (at: number) => new Date(at * 1000).toISOString().slice(11, 16)
  const slot = now - 60
  assert.equal(await due(now, String(slot - 86400), '', '1d', clock(slot)), 'due')
  assert.equal(await due(now, String(now - 30), '', '1d', clock(slot)), 'wait')
  assert.equal(await due(now, '', String(now - 3600), '1d', clock(slot)), 'due')
  assert.equal(await due(now, '', String(now - 30), '1d', clock(slot)), 'wait', 'scheduled after the slot')
  assert.equal(await due(now, String(now - 3600), '', '1d', clock(now + 600)), 'wait')
  // Every 2 days: the slot a day after the last run is skipped, the one two days after is not.
  assert.equal(await due(now, String(slot - 86400 + 30), '', '2d', clock(slot)), 'wait')
  assert.equal(await due(now, String(slot - 2 * 86400 + 30), '', '2d', clock(slot)), 'due')
  assert.equal(await due(now, '1000000000', '', '2d', clock(slot)), 'due')
})

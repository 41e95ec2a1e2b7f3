/**
 * Fault injection: the relay's data folder on a small tmpfs (mounted by this test, so it needs root),
 * filled at each point of a webhook delivery so that the write there, or the first one after it that
 * needs room, fails with ENOSPC as on a full disk. The relay runs as its own process (node
 * relay/main.js). After each point the disk is freed, the relay takes a push, is killed (SIGKILL) and
 * started again, and the test checks: it starts; nothing answered 2xx is lost and nothing answered 5xx is kept; every
 * record of the delivery log and every event file is whole; no temporary file is left; the next push is
 * accepted. tmpfs counts space in 4 KiB pages exactly, so leaving N pages free decides which write is
 * the first to find no room. fsync and rename need no room on tmpfs: at that point the disk is full
 * and they succeed, and whether the delivery log's append fits in its last page decides.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import {
  appendFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  statfsSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import type { DeliveryRecord, RelayEvent } from '../../relay/relay-store.js'
import { COMPACT_AT } from '../../relay/relay-store.js'
import { commitId, postWebhook, pushPayload, relayProcess } from '../support/relay'
import { unavailable } from '../support/test-server'

const PAGE = 4096
const pages = (bytes: number) => Math.ceil(bytes / PAGE)

/** A tmpfs of `mb` MB mounted for this test; undefined (skipped, or under CI=true a failure) when not root. */
function smallDisk(t: TestContext, mb: number): string | undefined {
  if (process.getuid?.() !== 0) {
    return unavailable(
      t,
      'a small disk',
      'not root: the disk-full fault tests mount a tmpfs (run `npm test` as root)',
    )
  }
  const dir = mkdtempSync(join(tmpdir(), 'helvetia-fault-disk-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${mb}m,mode=0700`, 'tmpfs', dir], { stdio: 'pipe' })
  } catch (error) {
    rmdirSync(dir)
    return unavailable(
      t,
      'a small disk',
      `mounting a tmpfs failed: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`,
    )
  }
  return dir
}

/** A whole delivery-log record of exactly `length` bytes (newline included), of an app no test uses. */
function padRecord(length: number): string {
  const record = { at: new Date(0).toISOString(), app: 'pad', hookId: 'pad', delivery: null, event: null }
  const base = `${JSON.stringify({ ...record, status: 'ignored-event', detail: '' })}\n`.length
  return `${JSON.stringify({ ...record, status: 'ignored-event', detail: 'p'.repeat(length - base) })}\n`
}

interface Point {
  name: string
  /** Where in its last page the delivery log ends before the point (how much an append finds room for). */
  tail?: number
  /** Pages left free before the action. */
  leave: () => number
  /** Before the relay starts for this point. */
  prepare?: () => void
  act: () => Promise<string>
  /** What the action must answer, so the point is known to have been reached. */
  expect: RegExp
  /** More checks once the next push went through. */
  after?: (stderr: string) => string
}

test('a disk that fills at any point of a webhook delivery loses nothing accepted, corrupts nothing, and the relay starts again', async (t) => {
  const disk = smallDisk(t, 16)
  if (!disk) return
  const data = join(disk, 'data')
  const logPath = join(data, 'deliveries.log')
  const filler = join(disk, 'filler')
  const token = 'f'.repeat(64)
  // The relay goes before the disk it writes to.
  let stopRelay = async () => {}
  t.after(async () => {
    await stopRelay()
    execFileSync('umount', [disk])
    rmdirSync(disk)
  })
  let relay = await relayProcess(t, data, token)
  stopRelay = () => relay.kill()
  const hook = await relay.client.register('web', 'main')
  /** What each webhook was answered, by delivery id. */
  const answers = new Map<string, number | string>()
  const acked = new Set<number>()
  // A push of a fixed size (about 30 KB) whose event file ends mid-page.
  const message = 'm'.repeat(30_000)
  const push = () => pushPayload('refs/heads/main', commitId()).replace('"a change"', JSON.stringify(message))
  const post = async () => {
    const delivery = randomUUID()
    const status = await postWebhook(`${relay.url}/hooks/${hook.hookId}`, {
      secret: hook.secret,
      body: push(),
      delivery,
    }).then(
      (answer) => answer.status,
      (error: NodeJS.ErrnoException) => error.code ?? error.message,
    )
    answers.set(delivery, status)
    return String(status)
  }
  const fill = (leave: number) => {
    rmSync(filler, { force: true })
    writeFileSync(filler, Buffer.alloc((statfsSync(disk).bavail - leave) * PAGE))
    assert.equal(statfsSync(disk).bavail, leave, 'the disk has exactly the free pages asked for')
  }
  const restart = async (prepare?: () => void) => {
    await relay.kill()
    prepare?.()
    relay = await relayProcess(t, data, token)
  }
  const eventFiles = () => readdirSync(join(data, 'events'))

  /** The data folder is whole, and agrees with every answer given so far. */
  const check = () => {
    const text = readFileSync(logPath, 'utf8')
    assert.ok(text === '' || text.endsWith('\n'), 'the delivery log ends with a whole record')
    const records = text
      .split('\n')
      .filter(Boolean)
      .map((line, i): DeliveryRecord => {
        try {
          return JSON.parse(line)
        } catch {
          return assert.fail(`deliveries.log line ${i + 1} is torn: ${line.slice(0, 80)}…`)
        }
      })
    const temporary = readdirSync(data, { recursive: true, encoding: 'utf8' }).filter(
      (path) => /(^|\/)\.tmp-/.test(path) || path.startsWith('incoming/'),
    )
    assert.deepEqual(temporary, [], 'no temporary files are left')
    const events = eventFiles().map((name): RelayEvent =>
      JSON.parse(readFileSync(join(data, 'events', name), 'utf8')),
    )
    const received = new Map(
      records.filter((r) => r.status === 'received' && r.seq).map((r) => [r.delivery, r]),
    )
    for (const event of events) {
      assert.equal(received.get(event.delivery)?.seq, event.seq, `event ${event.seq} has its record`)
    }
    for (const [delivery, status] of answers) {
      const kept = events.some((e) => e.delivery === delivery)
      if (status === 202) {
        const seq = received.get(delivery)?.seq ?? 0
        assert.ok(kept || acked.has(seq), `delivery ${delivery} was answered 202, then lost`)
      } else {
        assert.ok(!kept && !received.has(delivery), `delivery ${delivery} was answered ${status}, yet kept`)
      }
    }
    return { events: events.length, records: records.length }
  }
  /** Moves the end of the delivery log to `offset` in its last page (the relay is stopped). */
  const alignLog = (offset: number) => {
    const add = (offset - (statSync(logPath).size % PAGE) + PAGE) % PAGE
    appendFileSync(logPath, padRecord(add < 300 ? add + PAGE : add))
  }

  // Calibration on a free disk: the sizes the points below are made of.
  assert.equal(await post(), '202')
  const bodyPages = pages(Buffer.byteLength(push()))
  const eventBytes = statSync(join(data, 'events', eventFiles()[0] ?? '')).size
  const eventPages = pages(eventBytes)
  assert.ok(eventPages > bodyPages, 'an event file takes more room than its body')
  assert.ok(eventBytes % PAGE > 100 && eventBytes % PAGE < PAGE - 100, `event of ${eventBytes} bytes`)
  const ROOM = 512 // an append fits in the log's last page
  const TEAR = PAGE - 50 // an append's first 50 bytes fit, the rest needs a new page

  const points: Point[] = [
    { name: 'body arriving (incoming/)', leave: () => 0, act: post, expect: /^5\d\d$/ },
    { name: 'event file write', leave: () => bodyPages, act: post, expect: /^5\d\d$/ },
    {
      name: 'event file fsync and rename (full from there on; the log append fits)',
      tail: ROOM,
      leave: () => eventPages,
      act: post,
      expect: /^202$/,
    },
    {
      name: 'deliveries.log append (torn after 50 bytes)',
      tail: TEAR,
      leave: () => eventPages,
      act: post,
      expect: /^5\d\d$/,
    },
    {
      name: 'hooks.json write (registering an app)',
      leave: () => 0,
      act: () =>
        relay.client.register('other', 'main').then(
          () => 'registered',
          (error: Error) => `refused: ${error.message}`,
        ),
      expect: /^refused: .*(503|ENOSPC)/,
      after: () => {
        const apps = JSON.parse(readFileSync(join(data, 'hooks.json'), 'utf8')).map(
          (h: { app: string }) => h.app,
        )
        assert.deepEqual(apps, ['web'])
        return 'hooks.json unchanged'
      },
    },
    {
      name: 'ack (deleting the event file)',
      leave: () => 0,
      act: async () => {
        const name = eventFiles()[0] ?? ''
        await relay.client.ack(Number(name.slice(0, 12)))
        acked.add(Number(name.slice(0, 12)))
        return eventFiles().includes(name) ? 'acknowledged, the event file still there' : 'acknowledged'
      },
      expect: /^acknowledged$/,
    },
    {
      name: 'deliveries.log compaction',
      tail: ROOM,
      prepare: () => {
        const count = readFileSync(logPath, 'utf8').split('\n').filter(Boolean).length
        appendFileSync(logPath, padRecord(200).repeat(COMPACT_AT - 2 - count))
      },
      leave: () => eventPages,
      act: post,
      expect: /^202$/,
      after: (stderr) => {
        assert.match(stderr, /deliveries.log not compacted, tried again later: .*ENOSPC/)
        const lines = readFileSync(logPath, 'utf8').split('\n').filter(Boolean).length
        assert.ok(lines < COMPACT_AT / 2, `compacted once there was room (${lines} records)`)
        return `compacted once there was room, to ${lines} records`
      },
    },
  ]

  const summary: string[] = []
  for (const [index, point] of points.entries()) {
    const { prepare, tail } = point
    if (prepare || tail !== undefined) {
      await restart(() => {
        prepare?.()
        if (tail !== undefined) alignLog(tail)
      })
    }
    fill(point.leave())
    const answer = await point.act()
    assert.match(answer, point.expect, point.name)
    rmSync(filler)
    // Room again: the same process takes the next push, then it is killed and started again.
    assert.equal(await post(), '202', `${point.name}: the next push once there is room`)
    const stderr = relay.stderr()
    await restart()
    const left = check()
    const next = await post()
    assert.equal(next, '202', `${point.name}: the next push after the restart`)
    const more = point.after?.(stderr) ?? ''
    check()
    summary.push(
      `fault point ${index + 1}/${points.length} ${point.name}: answered ${answer}; left events/ ${left.events} ` +
        `(each with its record), deliveries.log ${left.records} whole records, no temporary files; ` +
        `next push 202; killed and restarted; next push ${next}${more ? `; ${more}` : ''}`,
    )
  }
  summary.push(`${points.length} fault points tried`)
  for (const line of summary) t.diagnostic(line)
})

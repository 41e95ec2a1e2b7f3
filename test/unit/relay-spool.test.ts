/**
 * The relay's server-side path over real HTTP on 127.0.0.1 (relay in this process, its own data and
 * spool folders): a server-side app's push to its branch becomes a job in the spool and never reaches
 * subscribers; another branch is recorded as ignored; the agent's outcome files land in the delivery
 * log; a job is not written twice when the event comes again after a restart (GitHub redelivers it). The host's agent
 * (remote-scripts/push-agent.sh) is played by this test writing outcome files, as it would.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { commitId, postWebhook, pushPayload, testRelay } from '../support/relay'

async function until<T>(check: () => T | undefined | Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > end) throw new Error('timed out')
    await sleep(20)
  }
}

test('server-side pushes go to the spool, not to subscribers, and the agent reports into the delivery log', async (t) => {
  const spoolDir = mkdtempSync(join(tmpdir(), 'helvetia-spool-'))
  t.after(() => rmSync(spoolDir, { recursive: true, force: true }))
  const bed = await testRelay(t, { spoolDir })
  const side = await bed.client.register('side', 'main', true)
  const plain = await bed.client.register('plain', 'main')
  assert.equal(side.serverSide, true)
  const jobs = () => readdirSync(join(spoolDir, 'jobs')).filter((n) => n.endsWith('.job'))

  const pushed = commitId()
  // Kept to send the very same delivery again after the restart, as GitHub's "Redeliver" does.
  const first = { secret: side.secret, body: pushPayload('refs/heads/main', pushed), delivery: randomUUID() }
  assert.equal((await postWebhook(side.url, first)).status, 202)
  assert.equal(
    (await postWebhook(side.url, { secret: side.secret, body: pushPayload('refs/heads/feature') })).status,
    202,
  )
  const forPlain = commitId()
  assert.equal(
    (await postWebhook(plain.url, { secret: plain.secret, body: pushPayload('refs/heads/main', forPlain) }))
      .status,
    202,
  )

  // The subscriber's stream starts with the plain app's event: the server-side ones are not in it.
  for await (const line of bed.client.events(0)) {
    if (line.type !== 'event') continue
    assert.equal(line.app, 'plain')
    break
  }
  const [job] = await until(() => (jobs().length ? jobs() : undefined))
  const fields = readFileSync(join(spoolDir, 'jobs', job ?? ''), 'utf8')
  assert.match(fields, new RegExp(`^app=side$`, 'm'))
  assert.match(fields, new RegExp(`^commit=${pushed}$`, 'm'))
  assert.match(fields, /^ref=refs\/heads\/main$/m)
  const delivery = /^delivery=(.*)$/m.exec(fields)?.[1] ?? ''

  // The agent: starts the deploy, finishes it, moves the job to done/.
  const outcome = (name: string, status: string, detail: string) =>
    writeFileSync(
      join(spoolDir, 'outcomes', name),
      `delivery=${delivery}\nstatus=${status}\ndetail=${detail}\n`,
    )
  outcome('1-deploy-started.out', 'deploy-started', 'deployment 1')
  outcome('1-deployed.out', 'deployed', 'deployment 1')
  outcome('2-bogus.out', 'received', 'an agent cannot write this status')
  renameSync(join(spoolDir, 'jobs', job ?? ''), join(spoolDir, 'done', job ?? ''))
  const log = await until(async () => {
    const records = (await bed.client.deliveries('side')).map(
      (d) => `${d.status}${d.detail ? `: ${d.detail}` : ''}`,
    )
    return records.includes('deployed: deployment 1') ? records : undefined
  })
  assert.deepEqual(log, [
    'received',
    'received',
    'ignored-branch: push to refs/heads/feature; the app deploys main',
    'deploy-started: deployment 1',
    'deployed: deployment 1',
  ])
  // Every outcome file is taken, the one with a status the agent may not report too (and dropped).
  await until(() => (readdirSync(join(spoolDir, 'outcomes')).length === 0 ? true : undefined))
  assert.equal((await bed.client.deliveries('side')).length, log.length)

  // After a restart the same event comes again: it is not written a second time. A new push sent
  // after it is the signal: the spool takes events in order, so once its job is there, the repeated
  // event has been dealt with.
  await bed.restart()
  assert.deepEqual(await postWebhook(side.url, first), { status: 200, body: { duplicate: true } })
  const next = commitId()
  const nextPush = { secret: side.secret, body: pushPayload('refs/heads/main', next) }
  assert.equal((await postWebhook(side.url, nextPush)).status, 202)
  const [nextJob] = await until(() => (jobs().length ? jobs() : undefined))
  assert.deepEqual(jobs(), [nextJob], 'one new job, for the new push only')
  assert.match(
    readFileSync(join(spoolDir, 'jobs', nextJob ?? ''), 'utf8'),
    new RegExp(`^commit=${next}$`, 'm'),
  )
  assert.deepEqual(readdirSync(join(spoolDir, 'done')), [job], 'the finished job stays the only one for it')
})

test('each job the relay spools wakes the agent: a byte in the FIFO it waits on, once the job is on disk', async (t) => {
  const spoolDir = mkdtempSync(join(tmpdir(), 'helvetia-spool-'))
  t.after(() => rmSync(spoolDir, { recursive: true, force: true }))
  // The agent's end, as remote-scripts/push-agent.sh holds it: the FIFO open for reading and writing.
  execFileSync('mkfifo', [join(spoolDir, 'wake')])
  const fifo = await open(join(spoolDir, 'wake'), 'r+')
  t.after(() => fifo.close())
  const bed = await testRelay(t, { spoolDir })
  const side = await bed.client.register('side', 'main', true)
  const jobs = () => readdirSync(join(spoolDir, 'jobs')).filter((n) => n.endsWith('.job'))

  for (const count of [1, 2]) {
    // Bounded: with no wake, this test's own byte ends the read after a while, and the test fails.
    const deadline = setTimeout(() => void fifo.write('!'), 30_000)
    const woken = fifo.read(Buffer.alloc(64), 0, 64)
    assert.equal(
      (await postWebhook(side.url, { secret: side.secret, body: pushPayload('refs/heads/main') })).status,
      202,
    )
    const { bytesRead, buffer } = await woken
    clearTimeout(deadline)
    assert.equal(buffer.toString('utf8', 0, bytesRead), '\n', `push ${count} woke the agent`)
    assert.equal(jobs().length, count, `the job of push ${count} was on disk before the wake`)
  }
})

test('a relay without a spool refuses server-side registrations', async (t) => {
  const bed = await testRelay(t)
  await assert.rejects(
    bed.client.register('side', 'main', true),
    /server-side deploys need a relay with a spool/,
  )
})

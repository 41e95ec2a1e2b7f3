/**
 * The relay over real HTTP on 127.0.0.1 (started in this process, its own data folder): what GitHub's
 * requests do to its queue and delivery log, the subscriber stream, acks and restarts.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { MAX_BODY_BYTES } from '../../relay/relay-server.js'
import { signBody } from '../../relay/signature.js'
import { relayClient, type RelayClient, type RelayEvent } from '../../src-main/core/push/relay-client'
import { commitId, postWebhook, pushPayload, testRelay } from '../support/relay'
import { failsWith } from '../support/user-error'

/** The next `count` events of a fresh stream from `after`. */
async function nextEvents(client: RelayClient, count: number, after = 0): Promise<RelayEvent[]> {
  const events: RelayEvent[] = []
  if (count === 0) return events
  for await (const line of client.events(after)) {
    if (line.type === 'event') events.push(line)
    if (events.length === count) break
  }
  return events
}

/** Events on disk, not yet acknowledged. */
const queued = (dataDir: string) =>
  readdirSync(join(dataDir, 'events')).filter((name) => name.endsWith('.json'))

const statuses = async (client: RelayClient, app: string) =>
  (await client.deliveries(app)).map((d) => `${d.status}${d.detail ? `: ${d.detail}` : ''}`)

/** Announces `declaredBytes` (Content-Length) or streams chunks past the limit; the status, or the socket error. */
function postOversized(url: string, declare: boolean): Promise<number | string> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = { 'x-github-event': 'push', 'x-github-delivery': randomUUID() }
    if (declare) headers['content-length'] = String(MAX_BODY_BYTES + 1)
    const req = request(url, { method: 'POST', headers })
    let answered = false
    req.on('response', (res) => {
      answered = true
      res.resume()
      resolve(res.statusCode ?? 0)
      req.destroy()
    })
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
    const chunk = Buffer.alloc(1024 * 1024, 'x')
    let sent = 0
    const write = (): void => {
      while (!answered && sent <= MAX_BODY_BYTES + chunk.length) {
        sent += chunk.length
        if (!req.write(chunk)) return void req.once('drain', write)
        if (declare) return // headers and a first chunk: the relay answers from Content-Length alone
      }
    }
    write()
  })
}

test('a signed push is kept and forwarded; forged, altered, unsigned, replayed and oversized ones change nothing', async (t) => {
  const bed = await testRelay(t)
  const hook = await bed.client.register('web', 'main')
  assert.match(hook.url, new RegExp(`^${bed.relay.url}/hooks/[\\w-]{24}$`))
  assert.match(hook.secret, /^[0-9a-f]{64}$/)

  const body = pushPayload('refs/heads/main')
  const delivery = randomUUID()
  assert.deepEqual(await postWebhook(hook.url, { secret: hook.secret, body, delivery }), {
    status: 202,
    body: { accepted: true },
  })

  const refused = [
    { secret: 'f'.repeat(64), body: pushPayload('refs/heads/main') }, // signed with another secret
    { secret: null, body: body.replace('a change', 'evil'), signature: signBody(hook.secret, body) }, // altered
    { secret: null, body: pushPayload('refs/heads/main') }, // unsigned
    { secret: null, body, signature: signBody(hook.secret, body).slice(0, -2) }, // truncated signature
  ]
  for (const request of refused) assert.equal((await postWebhook(hook.url, request)).status, 401)
  assert.deepEqual(await postWebhook(hook.url, { secret: hook.secret, body, delivery }), {
    status: 200,
    body: { duplicate: true },
  })
  assert.equal(await postOversized(hook.url, true), 413)
  assert.ok([413, 'ECONNRESET', 'EPIPE'].includes(await postOversized(hook.url, false)))

  assert.equal(queued(bed.dataDir).length, 1)
  const [event] = await nextEvents(bed.client, 1)
  assert.equal(Buffer.from(event?.bodyBase64 ?? '', 'base64').toString(), body)
  assert.equal(event?.delivery, delivery)
  assert.equal(event?.signature, signBody(hook.secret, body))
  assert.equal(event?.app, 'web')
  assert.deepEqual(await statuses(bed.client, 'web'), [
    'received',
    'refused-signature: X-Hub-Signature-256 does not match',
    'refused-signature: X-Hub-Signature-256 does not match',
    'refused-signature: no X-Hub-Signature-256',
    'refused-signature: X-Hub-Signature-256 does not match',
    'duplicate: this delivery was accepted before (a redelivery)',
    'refused-size: over 25 MB',
    'refused-size: over 25 MB',
  ])
})

test('pings are acknowledged, other events ignored, unknown hooks and missing tokens refused', async (t) => {
  const bed = await testRelay(t)
  const hook = await bed.client.register('web', null)
  const ping = await postWebhook(hook.url, {
    secret: hook.secret,
    body: '{"zen":"Keep it simple."}',
    event: 'ping',
  })
  assert.equal(ping.status, 200)
  const issue = await postWebhook(hook.url, { secret: hook.secret, body: '{}', event: 'issues' })
  assert.equal(issue.status, 202)
  assert.equal(queued(bed.dataDir).length, 0)
  assert.deepEqual(await statuses(bed.client, 'web'), [
    'received: ping: GitHub reached the relay',
    'ignored-event: only push events deploy',
  ])

  const signed = { secret: hook.secret, body: pushPayload('refs/heads/main') }
  assert.equal((await postWebhook(`${bed.relay.url}/hooks/${'a'.repeat(24)}`, signed)).status, 404)
  // Registering again gives a new URL and secret: the old URL stops working.
  const again = await bed.client.register('web', 'main')
  assert.notEqual(again.hookId, hook.hookId)
  assert.equal((await postWebhook(hook.url, signed)).status, 404)
  assert.equal((await postWebhook(again.url, { ...signed, secret: again.secret })).status, 202)

  const stranger = relayClient({ url: bed.relay.url, token: 'x'.repeat(64) })
  await assert.rejects(stranger.register('web', null), failsWith('RELAY_TOKEN_REFUSED'))
  await assert.rejects(stranger.deliveries('web'), failsWith('RELAY_TOKEN_REFUSED'))
  await assert.rejects(nextEvents(stranger, 1), failsWith('RELAY_TOKEN_REFUSED'))
  await assert.rejects(stranger.ack(1), failsWith('RELAY_TOKEN_REFUSED'))
  await assert.rejects(bed.client.register('Not A Label', null), failsWith('RELAY_ERROR'))
  // The contract's rule for app names (src-main/api/apps.ts): a letter first, 40 characters at most.
  await assert.rejects(bed.client.register('1web', null), failsWith('RELAY_ERROR'))
  await assert.rejects(bed.client.register('a'.repeat(41), null), failsWith('RELAY_ERROR'))
  assert.equal((await bed.client.register('a'.repeat(40), null)).app, 'a'.repeat(40))
  await assert.rejects(bed.client.register('web', '../etc'), failsWith('RELAY_ERROR'))
})

test('events accepted with no subscriber arrive when one connects, in order; unacknowledged ones come again', async (t) => {
  const bed = await testRelay(t)
  const hook = await bed.client.register('web', 'main')
  const bodies = ['one', 'two', 'three'].map((n) => pushPayload(`refs/heads/${n}`))
  for (const body of bodies) await postWebhook(hook.url, { secret: hook.secret, body })

  const first = await nextEvents(bed.client, 3)
  assert.deepEqual(
    first.map((e) => Buffer.from(e.bodyBase64, 'base64').toString()),
    bodies,
  )
  assert.ok(first.every((e, i) => i === 0 || e.seq > (first[i - 1]?.seq ?? 0)))
  await bed.client.ack(first[0]?.seq ?? 0)
  assert.equal(queued(bed.dataDir).length, 2)

  // A new stream starts again with what was not acknowledged.
  const again = await nextEvents(bed.client, 2)
  assert.deepEqual(
    again.map((e) => e.seq),
    first.slice(1).map((e) => e.seq),
  )
  for (const event of again) await bed.client.ack(event.seq)
  assert.equal(queued(bed.dataDir).length, 0)

  // A connected subscriber gets a new event as it is accepted, and nothing acknowledged before it.
  const stream = nextEvents(bed.client, 1)
  const live = pushPayload('refs/heads/main')
  await postWebhook(hook.url, { secret: hook.secret, body: live })
  const [next] = await stream
  assert.equal(Buffer.from(next?.bodyBase64 ?? '', 'base64').toString(), live)
})

test('accepted events and de-duplication survive a restart; sequence numbers are never reused', async (t) => {
  const bed = await testRelay(t)
  const hook = await bed.client.register('web', 'main')
  const deliveries = [randomUUID(), randomUUID()]
  for (const delivery of deliveries) {
    await postWebhook(hook.url, { secret: hook.secret, body: pushPayload('refs/heads/main'), delivery })
  }
  const [a, b] = await nextEvents(bed.client, 2)
  await bed.client.ack(a?.seq ?? 0)

  await bed.restart()
  const [kept] = await nextEvents(bed.client, 1)
  assert.deepEqual(kept, b)
  const replay = { secret: hook.secret, body: pushPayload('refs/heads/main'), delivery: deliveries[0] }
  assert.equal((await postWebhook(hook.url, replay)).status, 200)
  await bed.client.ack(kept?.seq ?? 0)
  assert.equal(queued(bed.dataDir).length, 0)

  await bed.restart()
  await postWebhook(hook.url, { secret: hook.secret, body: pushPayload('refs/heads/main') })
  const [c] = await nextEvents(bed.client, 1)
  assert.ok((c?.seq ?? 0) > (b?.seq ?? 0), `seq ${c?.seq} after ${b?.seq}`)
})

test('subscribers report on accepted deliveries only, with known statuses', async (t) => {
  const bed = await testRelay(t)
  const hook = await bed.client.register('web', 'main')
  const delivery = randomUUID()
  await postWebhook(hook.url, { secret: hook.secret, body: pushPayload('refs/heads/main'), delivery })
  await bed.client.report(delivery, 'deploy-started', 'commit abc')
  await bed.client.report(delivery, 'deployed')
  assert.deepEqual(await statuses(bed.client, 'web'), ['received', 'deploy-started: commit abc', 'deployed'])
  await assert.rejects(
    bed.client.report(randomUUID(), 'deployed'),
    failsWith('RELAY_ERROR', (e) => assert.match(e.message, /404/)),
  )
  await assert.rejects(
    bed.client.report(delivery, 'received'),
    failsWith('RELAY_ERROR', (e) => assert.match(e.message, /400/)),
  )
})

test('the token is generated once, kept 0600, or read from --token-file', async (t) => {
  const bed = await testRelay(t)
  assert.equal(bed.relay.tokenCreated, true)
  assert.match(bed.relay.token, /^[0-9a-f]{64}$/)
  await bed.client.register('web', null)
  for (const file of ['token', 'hooks.json', 'deliveries.log']) {
    assert.equal(statSync(join(bed.dataDir, file)).mode & 0o777, 0o600, file)
  }
  assert.equal(statSync(bed.dataDir).mode & 0o777, 0o700)
  const token = bed.relay.token
  await bed.restart()
  assert.equal(bed.relay.tokenCreated, false)
  assert.equal(bed.relay.token, token)

  const tokenFile = join(bed.dataDir, 'given-token')
  writeFileSync(tokenFile, `${'t'.repeat(40)}\n`)
  const given = await testRelay(t, { tokenFile })
  assert.equal(given.relay.token, 't'.repeat(40))
  writeFileSync(tokenFile, 'short\n')
  await assert.rejects(testRelay(t, { tokenFile }), /at least 32 characters/)
})

test('a signed push sent again under a new delivery id is acknowledged as a duplicate and not queued again', async (t) => {
  const bed = await testRelay(t)
  const hook = await bed.client.register('web', 'main')
  const commit = commitId()
  const body = pushPayload('refs/heads/main', commit, 1_700_000_000)
  const first = randomUUID()
  assert.equal((await postWebhook(hook.url, { secret: hook.secret, body, delivery: first })).status, 202)
  // The same signed body under a delivery id of the sender's choosing: the signature does not cover it.
  const replay = { secret: hook.secret, body }
  assert.deepEqual(await postWebhook(hook.url, replay), { status: 200, body: { duplicate: true } })
  // The same commit pushed to another branch, or pushed again later, is a push of its own.
  const elsewhere = pushPayload('refs/heads/release', commit, 1_700_000_000)
  assert.equal((await postWebhook(hook.url, { secret: hook.secret, body: elsewhere })).status, 202)
  const later = pushPayload('refs/heads/main', commit, 1_700_000_060)
  assert.equal((await postWebhook(hook.url, { secret: hook.secret, body: later })).status, 202)
  await bed.restart()
  assert.deepEqual(await postWebhook(hook.url, replay), { status: 200, body: { duplicate: true } })

  assert.deepEqual(
    (await nextEvents(bed.client, 3)).map((e) => Buffer.from(e.bodyBase64, 'base64').toString()),
    [body, elsewhere, later],
  )
  assert.equal(queued(bed.dataDir).length, 3)
  const duplicate = `duplicate: the push of ${commit} to refs/heads/main was accepted before as delivery ${first}`
  assert.deepEqual(await statuses(bed.client, 'web'), [
    'received',
    duplicate,
    'received',
    'received',
    duplicate,
  ])
})

test('a delivery log torn by a full disk under an older relay is read: torn records skipped and logged, nothing accepted lost', async (t) => {
  const lines: string[] = []
  const bed = await testRelay(t, { log: (line) => lines.push(line) })
  const hook = await bed.client.register('web', 'main')
  const bodies = [pushPayload('refs/heads/main'), pushPayload('refs/heads/main')]
  await postWebhook(hook.url, { secret: hook.secret, body: bodies[0] ?? '' })
  for (const zen of ['one', 'two']) {
    await postWebhook(hook.url, { secret: hook.secret, body: JSON.stringify({ zen }), event: 'ping' })
  }
  await postWebhook(hook.url, { secret: hook.secret, body: bodies[1] ?? '' })
  await bed.stop()
  // What a relay that appended with appendFile left after the disk filled: the first ping's record cut
  // short with the second's glued to it (written once there was room again), and the last push's
  // record cut short at the end while its event file was already in events/.
  const logPath = join(bed.dataDir, 'deliveries.log')
  const [push1, ping1, ping2, push2] = readFileSync(logPath, 'utf8').split('\n')
  writeFileSync(logPath, `${push1}\n${ping1?.slice(0, 40)}${ping2}\n${push2?.slice(0, 50)}`)

  await bed.start()
  assert.deepEqual(
    lines.filter((line) => line.startsWith('deliveries.log')),
    [
      'deliveries.log: skipped a torn last record (50 bytes)',
      'deliveries.log: skipped a torn record on line 2 (40 characters)',
    ],
  )
  assert.deepEqual(await statuses(bed.client, 'web'), [
    'received',
    'received: ping: GitHub reached the relay',
    'received',
  ])
  assert.deepEqual(
    (await nextEvents(bed.client, 2)).map((e) => Buffer.from(e.bodyBase64, 'base64').toString()),
    bodies,
  )
  // The next push works, and the log is whole again from the cut on.
  assert.equal(
    (await postWebhook(hook.url, { secret: hook.secret, body: pushPayload('refs/heads/main') })).status,
    202,
  )
  const log = readFileSync(logPath, 'utf8')
  assert.ok(log.endsWith('\n'))
  assert.deepEqual(
    log
      .split('\n')
      .slice(-3, -1)
      .map((line) => JSON.parse(line).status),
    ['received', 'received'],
  )
})

/** A webhook that sends its headers and a first part of a body of `bytes`, then waits; `abort` drops it. */
function heldWebhook(url: string, bytes: number) {
  const headers = {
    'content-length': String(bytes),
    'x-github-event': 'push',
    'x-github-delivery': randomUUID(),
  }
  const req = request(url, { method: 'POST', headers })
  req.on('error', () => undefined)
  req.write(Buffer.alloc(64 * 1024, 'x'))
  return { abort: () => req.destroy() }
}

test('unverified bodies go to disk, not memory, under one budget: beyond it a webhook gets 429 with Retry-After', async (t) => {
  const bed = await testRelay(t)
  const hook = await bed.client.register('web', 'main')
  const incoming = () => readdirSync(join(bed.dataDir, 'incoming'))
  const until = async (done: () => boolean) => {
    while (!done()) await sleep(20)
  }
  // Two bodies of 24 MB arriving slowly hold the budget (2 × 25 MB), each in its temporary file.
  const held = [heldWebhook(hook.url, 24 * 1024 * 1024), heldWebhook(hook.url, 24 * 1024 * 1024)]
  await until(() => incoming().length === 2)
  const answer = await new Promise<{ status: number; retryAfter: string | undefined }>((resolve, reject) => {
    const req = request(hook.url, {
      method: 'POST',
      headers: { 'content-length': String(3 * 1024 * 1024), 'x-github-event': 'push' },
    })
    req.on('response', (res) => {
      res.resume()
      resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] })
      req.destroy()
    })
    req.on('error', reject)
    req.write(Buffer.alloc(1024))
  })
  assert.deepEqual(answer, { status: 429, retryAfter: '10' })
  // Dropped halfway, they leave nothing behind and free the budget.
  for (const request of held) request.abort()
  await until(() => incoming().length === 0)
  // A signed body of many pieces comes out of its temporary file byte for byte.
  const body = pushPayload('refs/heads/main').replace('"a change"', JSON.stringify('é'.repeat(1024 * 1024)))
  assert.equal((await postWebhook(hook.url, { secret: hook.secret, body })).status, 202)
  assert.equal((await postWebhook(hook.url, { secret: 'f'.repeat(64), body })).status, 401)
  assert.deepEqual(incoming(), [])
  const [event] = await nextEvents(bed.client, 1)
  assert.equal(Buffer.from(event?.bodyBase64 ?? '', 'base64').toString(), body)
})

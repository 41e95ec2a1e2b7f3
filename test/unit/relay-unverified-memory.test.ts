/**
 * The relay's memory under forged webhooks: the relay runs as its own process (node relay/main.js, as
 * in its container, where it has --memory 256m) on 127.0.0.1, and its peak resident memory is read from
 * /proc/PID/status (VmHWM) after 8 concurrent forged posts of 24 MB each (under GitHub's 25 MB cap, to
 * a registered hook, with a wrong signature).
 */
import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { postWebhook, pushPayload, relayProcess } from '../support/relay'

const MB = 1024 * 1024

/** Posts `body` with a signature that does not match; the status, or the socket error once answered early. */
function forgedPost(url: string, body: Buffer): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': String(body.length),
        'x-github-event': 'push',
        'x-github-delivery': crypto.randomUUID(),
        'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
      },
    })
    req.on('response', (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
      req.destroy()
    })
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
    req.end(body)
  })
}

/** Peak resident memory of a process in MB. */
const peakMb = (pid: number) =>
  Number(/^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024

test('8 concurrent forged 24 MB webhooks leave the relay far under its 256 MB container limit', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'helvetia-relay-memory-'))
  t.after(() => rmSync(dataDir, { recursive: true, force: true }))
  const relay = await relayProcess(t, dataDir)
  const pid = relay.pid
  const hook = await relay.client.register('web', 'main')
  const before = peakMb(pid)

  const forged = Buffer.alloc(24 * MB, '{')
  const answers = await Promise.all(Array.from({ length: 8 }, () => forgedPost(hook.url, forged)))
  const peak = peakMb(pid)
  t.diagnostic(
    `relay peak RSS ${peak.toFixed(0)} MB (${before.toFixed(0)} MB before); answers ${answers.join(' ')}`,
  )
  assert.ok(peak < 128, `the relay's peak RSS reached ${peak.toFixed(0)} MB`)
  // Each is refused: checked and 401, or turned away (429, or the connection closed on it after that).
  assert.ok(answers.includes(401), answers.join(' '))
  assert.ok(
    answers.every((a) => [401, 429, 'ECONNRESET', 'EPIPE'].includes(a)),
    answers.join(' '),
  )
  assert.deepEqual(readdirSync(join(dataDir, 'incoming')), [])
  assert.deepEqual(readdirSync(join(dataDir, 'events')), [])
  // A signed push is still taken, durably, as before.
  const body = pushPayload('refs/heads/main')
  assert.equal((await postWebhook(hook.url, { secret: hook.secret, body })).status, 202)
  assert.equal(readdirSync(join(dataDir, 'events')).length, 1)
})

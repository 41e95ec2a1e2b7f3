/**
 * What the relay tests and the relay benchmark share: a relay running in this process on 127.0.0.1 with
 * its own data folder, GitHub's side of a webhook (a signed POST, as GitHub sends it), and push payloads.
 */
import { spawn } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startRelay, type Relay, type RelayOptions } from '../../relay/relay-server.js'
import { signBody } from '../../relay/signature.js'
import { relayClient } from '../../src-main/core/push/relay-client'

interface After {
  after(fn: () => unknown): void
}

/** A relay on a free loopback port (or `port`) with a fresh data folder, closed and removed after the test. */
export async function testRelay(t: After, options: Partial<RelayOptions> = {}) {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'helvetia-relay-'))
  if (!options.dataDir) t.after(() => rmSync(dataDir, { recursive: true, force: true }))
  let relay: Relay = await startRelay({ ...options, dataDir })
  let running = true
  t.after(() => running && relay.close())
  const testbed = {
    dataDir,
    get relay() {
      return relay
    },
    client: relayClient({ url: relay.url, token: relay.token }),
    async stop() {
      running = false
      await relay.close()
    },
    /** Starts it again on the same port and data folder. */
    async start() {
      relay = await startRelay({ ...options, dataDir, port: relay.port })
      running = true
    },
    async restart() {
      await testbed.stop()
      await testbed.start()
    },
  }
  return testbed
}

const RELAY_MAIN = fileURLToPath(new URL('../../relay/main.js', import.meta.url))

/**
 * The relay as its own process (`node relay/main.js serve`, as its container runs it) on a free
 * loopback port with the given data folder and token; killed after the test if still running.
 */
export async function relayProcess(t: After, dataDir: string, token = 'r'.repeat(64)) {
  const child = spawn(process.execPath, [RELAY_MAIN, 'serve', '--port', '0', '--data', dataDir], {
    env: { ...process.env, HELVETIA_RELAY_TOKEN: token },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  let stdout = ''
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk))
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk
      const found = /listening on (http:\/\/\S+)/.exec(stdout)?.[1]
      if (found) resolve(found)
    })
    void exited.then((code) => reject(new Error(`the relay exited (${code}) on starting:\n${stderr}`)))
  })
  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    await exited
  }
  t.after(() => kill())
  return {
    url,
    pid: child.pid ?? 0,
    client: relayClient({ url, token }),
    /** What it logged so far. */
    stderr: () => stderr,
    /** Ends it (SIGKILL by default: a crash, nothing closed on the way). */
    kill,
  }
}

/** A commit id, as a push names it. */
export const commitId = () => randomBytes(20).toString('hex')

/**
 * The parts of a push payload Helvetia reads (GitHub sends many more); `pushedAt` is the repository's
 * pushed_at, the time of the push in seconds.
 */
export function pushPayload(
  ref: string,
  after = commitId(),
  pushedAt = Math.floor(Date.now() / 1000),
): string {
  return JSON.stringify({
    ref,
    before: commitId(),
    after,
    deleted: false,
    repository: {
      full_name: 'octo/web',
      clone_url: 'https://github.com/octo/web.git',
      pushed_at: pushedAt,
    },
    head_commit: { id: after, message: 'a change' },
  })
}

export interface WebhookRequest {
  /** The secret to sign with; null sends no signature. */
  secret: string | null
  body: string | Buffer
  event?: string
  delivery?: string
  /** Overrides the signature header. */
  signature?: string
  /** The Host header, for a relay behind a proxy reached by its address (default: the URL's host). */
  host?: string
}

/** POSTs a webhook the way GitHub does; resolves with the status and the JSON answer. */
export function postWebhook(url: string, hook: WebhookRequest): Promise<{ status: number; body: unknown }> {
  const body = Buffer.from(hook.body)
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/test',
    'x-github-event': hook.event ?? 'push',
    'x-github-delivery': hook.delivery ?? randomUUID(),
  }
  const signature = hook.signature ?? (hook.secret === null ? undefined : signBody(hook.secret, body))
  if (signature) headers['x-hub-signature-256'] = signature
  if (hook.host) headers.host = hook.host
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: JSON.parse(Buffer.concat(chunks).toString() || 'null'),
        }),
      )
    })
    req.on('error', reject)
    req.end(body)
  })
}

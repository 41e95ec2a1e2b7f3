/**
 * The `helvetia ui` command itself, as a user starts it (a child process with its own data folder):
 * where it binds (127.0.0.1 by default, the address --host names), the URL it prints with the token in
 * its fragment, that this token opens the API over a real WebSocket, and the opt-in for a terminal on
 * this computer (HELVETIA_WEB_LOCAL_TERMINAL=1).
 */
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { test, type TestContext } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import WebSocket from 'ws'
import { createApiClient, type ApiClient } from '../../src-main/api/client'
import type { TerminalEvent } from '../../src-main/api/contract'
import { TOKEN_PROTOCOL_PREFIX, type ClientMessage, type HostMessage } from '../../src-main/api/wire'
import { ensureRendererBuilt } from '../support/browser'
import { CLI_PREFIX } from '../support/cli'
import { tempHome } from '../support/temp-home'

const BIN = fileURLToPath(new URL('../../src-main/cli/bin.mjs', import.meta.url))
const PRINTED = /Helvetia is serving the dashboard at\n\n {2}(http:\/\/\S+)\n\nPress Ctrl\+C to stop\.\n/

/** Starts `helvetia ui ARGS`; resolves with the URL it printed. Stopped (SIGTERM, by its pid) after the test. */
async function startUi(t: TestContext, args: string[], env: NodeJS.ProcessEnv = {}): Promise<URL> {
  ensureRendererBuilt()
  const home = tempHome(t)
  // Opted in only when the test says so, whatever the environment of the test run.
  const { HELVETIA_WEB_LOCAL_TERMINAL: _optIn, ...inherited } = process.env
  const child = spawn(process.execPath, [BIN, 'ui', ...args], {
    env: { ...inherited, HELVETIA_PREFIX: CLI_PREFIX, ...env, HELVETIA_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  t.after(async () => {
    if (child.exitCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    assert.equal(await exited, 0, 'Ctrl+C (SIGTERM) stops it cleanly')
  })
  let stdout = ''
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const printed = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const match = PRINTED.exec(stdout)
      if (match?.[1]) resolve(match[1])
    })
    child.on('exit', (code) => reject(new Error(`helvetia ui exited with ${code}: ${stderr}${stdout}`)))
  })
  return new URL(printed)
}

/** The local address of the socket listening on `port`, as the kernel reports it. */
async function listeningOn(port: number): Promise<string[]> {
  const { stdout } = await promisify(execFile)('ss', ['-Hltn', `sport = :${port}`])
  return stdout
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[3] ?? '')
}

/** An API client over the WebSocket the page would open, with `token`; rejects when the server refuses. */
function connectApi(t: TestContext, url: URL, token: string): Promise<ApiClient> {
  const ws = new WebSocket(`ws://${url.host}/api`, [TOKEN_PROTOCOL_PREFIX + token], {
    headers: { Origin: url.origin },
  })
  t.after(() => ws.close())
  return new Promise((resolve, reject) => {
    ws.on('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)))
    ws.on('error', reject)
    ws.on('open', () =>
      resolve(
        createApiClient({
          send: (message: ClientMessage) => ws.send(JSON.stringify(message)),
          onMessage: (listener: (message: HostMessage) => void) => {
            const handler = (data: Buffer) => listener(JSON.parse(data.toString('utf8')) as HostMessage)
            ws.on('message', handler)
            return () => ws.off('message', handler)
          },
          onClose: (listener: () => void) => {
            ws.on('close', listener)
            return () => ws.off('close', listener)
          },
        }),
      ),
    )
  })
}

/** The token from the printed URL's fragment (never sent to the server by a browser). */
const tokenOf = (url: URL) => new URLSearchParams(url.hash.slice(1)).get('token') ?? ''

test('helvetia ui binds 127.0.0.1 by default and prints a URL whose token opens the API', async (t) => {
  const url = await startUi(t, [])
  assert.equal(url.hostname, '127.0.0.1')
  assert.equal(url.pathname, '/')
  assert.match(tokenOf(url), /^[0-9a-f]{48}$/)
  assert.deepEqual(await listeningOn(Number(url.port)), [`127.0.0.1:${url.port}`])

  const page = await fetch(new URL('/', url))
  assert.equal(page.status, 200)
  assert.match(await page.text(), /<div id="root">|<script/)
  const api = await connectApi(t, url, tokenOf(url))
  assert.equal((await api.call('app:info')).face, 'web')
  await assert.rejects(connectApi(t, url, `${tokenOf(url)}0`), /refused: 403/)
})

test('helvetia ui --host binds that address and prints it', async (t) => {
  const url = await startUi(t, ['--host', '127.0.0.2'])
  assert.equal(url.hostname, '127.0.0.2')
  assert.deepEqual(await listeningOn(Number(url.port)), [`127.0.0.2:${url.port}`])
  const api = await connectApi(t, url, tokenOf(url))
  assert.equal((await api.call('app:info')).face, 'web')
})

/** Opens a terminal on this computer; resolves with what it printed once it exited, or rejects. */
function localTerminal(api: ApiClient): Promise<{ output: string; code: number | null }> {
  let output = ''
  return new Promise((resolve, reject) => {
    const subscription = api.subscribe(
      'terminals:open',
      { kind: 'local', rows: 24, cols: 80 },
      async (event: TerminalEvent) => {
        if (event.type === 'opened')
          await api.call('terminals:input', { id: event.id, data: 'echo $((6*7))x; exit 3\r' })
        else if (event.type === 'data') output += event.data
        else resolve({ output, code: event.code })
      },
    )
    subscription.done.catch(reject)
  })
}

test('a terminal on this computer is off in helvetia ui unless HELVETIA_WEB_LOCAL_TERMINAL=1', async (t) => {
  const off = await startUi(t, [])
  await assert.rejects(localTerminal(await connectApi(t, off, tokenOf(off))), {
    code: 'LOCAL_TERMINAL_OFF',
  })

  const on = await startUi(t, [], { HELVETIA_WEB_LOCAL_TERMINAL: '1', SHELL: '/bin/sh' })
  const { output, code } = await localTerminal(await connectApi(t, on, tokenOf(on)))
  assert.match(output, /42x/)
  assert.equal(code, 3)
})

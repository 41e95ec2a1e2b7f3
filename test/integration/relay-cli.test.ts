/**
 * Push to deploy through the real `helvetia` command: `relay serve` as a child process (killed with
 * SIGKILL and started again), `app connect-webhook`, `watch` and `deliveries`, with the webhook secret in
 * the real OS keychain. GitHub is played by signed POSTs over loopback.
 */
import assert from 'node:assert/strict'
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { relayClient } from '../../src-main/core/push/relay-client'
import { lineSplitter } from '../../src-main/core/remote/line-splitter'
import { openDatabase } from '../../src-main/core/store/database'
import { createKeytarVault } from '../../src-main/core/vault/vault'
import { CLI_PREFIX, helvetia } from '../support/cli'
import { commitId, postWebhook, pushPayload } from '../support/relay'
import { tempHome } from '../support/temp-home'
import { freePorts } from './provision-support'
import { relayTokenAccount, webhookSecretAccount } from '../../src-main/core/vault/accounts'

const BIN = fileURLToPath(new URL('../../src-main/cli/bin.mjs', import.meta.url))

/** A long-running `helvetia` child: its stdout lines as they come, stopped after the test. */
function spawnHelvetia(t: TestContext, home: string, args: string[]) {
  const child: ChildProcess = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, HELVETIA_PREFIX: CLI_PREFIX, HELVETIA_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const lines: string[] = []
  let wake = () => {}
  const splitter = lineSplitter((line) => (lines.push(line), wake()))
  child.stdout?.on('data', (chunk: Buffer) => splitter.write(chunk))
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  t.after(() => child.exitCode === null && child.kill('SIGKILL'))
  return {
    child,
    exited,
    stderr: () => stderr,
    /** The next stdout line that matches, waiting for it. */
    async line(match: RegExp): Promise<string> {
      for (;;) {
        const found = lines.findIndex((line) => match.test(line))
        if (found >= 0) return lines.splice(0, found + 1).at(-1) as string
        if (child.exitCode !== null) throw new Error(`helvetia ${args[0]} exited: ${stderr}`)
        await new Promise<void>((resolve) => {
          wake = resolve
          void exited.then(() => resolve())
        })
      }
    },
  }
}

/** `helvetia relay serve --json` on `port` with `data`: its address and (first start only) token. */
async function serveRelay(t: TestContext, home: string, port: number, data: string) {
  const relay = spawnHelvetia(t, home, ['relay', 'serve', '--port', String(port), '--data', data, '--json'])
  const started = JSON.parse(await relay.line(/^\{/)) as { url: string; token: string | null }
  return { ...relay, ...started }
}

test('an event accepted just before the relay is killed (SIGKILL) is delivered after it restarts', async (t) => {
  const home = tempHome(t)
  const data = join(home, 'relay-data')
  const [port = 0] = await freePorts(1)
  const first = await serveRelay(t, home, port, data)
  assert.equal(first.url, `http://127.0.0.1:${port}`)
  assert.match(first.token ?? '', /^[0-9a-f]{64}$/)
  assert.equal(statSync(join(data, 'token')).mode & 0o777, 0o600)
  const client = relayClient({ url: first.url, token: first.token ?? '' })
  const hook = await client.register('web', 'main')

  const body = pushPayload('refs/heads/main')
  const delivery = randomUUID()
  assert.equal((await postWebhook(hook.url, { secret: hook.secret, body, delivery })).status, 202)
  first.child.kill('SIGKILL')
  await first.exited

  const second = await serveRelay(t, home, port, data)
  assert.equal(second.token, null, 'the token is shown only when it is generated')
  for await (const line of client.events(0)) {
    if (line.type !== 'event') continue
    assert.equal(Buffer.from(line.bodyBase64, 'base64').toString(), body)
    assert.equal(line.delivery, delivery)
    break
  }
  // It still knows the delivery: GitHub's redelivery is acknowledged, not queued again.
  assert.equal((await postWebhook(hook.url, { secret: hook.secret, body, delivery })).status, 200)
  assert.equal(readdirSync(join(data, 'events')).length, 1)
  second.child.kill('SIGTERM')
  assert.equal(await second.exited, 0)
})

test('app connect-webhook, watch and deliveries: the secret in the keychain, other branches ignored', async (t) => {
  const home = tempHome(t)
  const data = mkdtempSync(join(tmpdir(), 'helvetia-relay-data-'))
  t.after(() => rmSync(data, { recursive: true, force: true }))
  const [port = 0] = await freePorts(1)
  const relay = await serveRelay(t, home, port, data)
  const tokenFile = join(home, 'relay-token')
  writeFileSync(tokenFile, `${relay.token}\n`)
  const run = async (args: string[]) => {
    const result = await helvetia(home, args)
    assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`)
    return result.stdout
  }
  await run(['server', 'add', 'here', '--local'])
  await run(['app', 'create', 'web', '--server', 'here', '--path', home])

  const refused = await helvetia(home, ['app', 'connect-webhook', 'web', '--relay', relay.url])
  assert.notEqual(refused.code, 0)
  assert.match(refused.stderr, /No token for the relay .* --relay-token-file/)

  const connected = JSON.parse(
    await run([
      'app',
      'connect-webhook',
      'web',
      '--relay',
      relay.url,
      '--relay-token-file',
      tokenFile,
      '--json',
    ]),
  ) as Record<string, string>
  assert.deepEqual(Object.keys(connected), ['url', 'secret'])
  assert.match(connected.url ?? '', new RegExp(`^${relay.url}/hooks/`))
  const db = openDatabase(home)
  const { id } = db.prepare<[], { id: string }>("SELECT id FROM apps WHERE name = 'web'").get() ?? { id: '' }
  db.close()
  const vault = createKeytarVault()
  t.after(() => vault.delete(webhookSecretAccount(id)))
  t.after(() => vault.delete(relayTokenAccount(relay.url)))
  assert.equal(await vault.get(webhookSecretAccount(id)), connected.secret)
  for (const name of readdirSync(home)) {
    if (statSync(join(home, name)).isFile())
      assert.ok(!readFileSync(join(home, name)).includes(connected.secret ?? ''), name)
  }

  // The relay token is now kept: watch needs no token option.
  const watch = spawnHelvetia(t, home, ['watch', '--relay', relay.url, '--json'])
  const post = (ref: string) =>
    postWebhook(connected.url ?? '', { secret: connected.secret ?? '', body: pushPayload(ref, commitId()) })
  assert.equal((await post('refs/heads/feature')).status, 202)
  const ignored = JSON.parse(await watch.line(/"delivery"/)) as { status: string; app: string }
  assert.deepEqual([ignored.app, ignored.status], ['web', 'ignored-branch'])
  // An app deployed from a folder has no repository a pushed commit could come from.
  // Refused before any deploy starts: no deploy-started record.
  assert.equal((await post('refs/heads/main')).status, 202)
  const failed = JSON.parse(await watch.line(/"failed"/)) as { detail: string }
  assert.match(failed.detail, /deploys from a local folder/)

  const deliveries = JSON.parse(await run(['deliveries', 'web', '--json'])) as { status: string }[]
  assert.deepEqual(
    deliveries.map((d) => d.status),
    ['received', 'ignored-branch', 'received', 'failed'],
  )
  assert.match(
    await run(['deliveries', 'web']),
    /^TIME\s+STATUS\s+EVENT\s+DELIVERY\s+DETAIL\n.*received\s+push/,
  )
  watch.child.kill('SIGTERM')
  assert.equal(await watch.exited, 0, watch.stderr())
})

test('relay serve prints the exact connect-webhook command, token file included, and it works as printed', async (t) => {
  const home = tempHome(t)
  const data = mkdtempSync(join(tmpdir(), 'helvetia relay data '))
  t.after(() => rmSync(data, { recursive: true, force: true }))
  const [port = 0] = await freePorts(1)
  const relay = spawnHelvetia(t, home, ['relay', 'serve', '--port', String(port), '--data', data])
  const printed = (await relay.line(/helvetia app connect-webhook/)).trim()
  const url = `http://127.0.0.1:${port}`
  assert.equal(
    printed,
    `helvetia app connect-webhook NAME --relay '${url}' --relay-token-file '${join(data, 'token')}'`,
  )
  for (const args of [
    ['server', 'add', 'here', '--local'],
    ['app', 'create', 'web', '--server', 'here', '--path', home],
  ]) {
    assert.equal((await helvetia(home, args)).code, 0)
  }
  const db = openDatabase(home)
  const { id } = db.prepare<[], { id: string }>("SELECT id FROM apps WHERE name = 'web'").get() ?? { id: '' }
  db.close()
  const vault = createKeytarVault()
  t.after(() => vault.delete(webhookSecretAccount(id)))
  t.after(() => vault.delete(relayTokenAccount(url)))
  // Run as printed, by a shell, with `helvetia` standing for this checkout's command.
  const { stdout } = await promisify(execFile)(
    'sh',
    ['-c', `helvetia() { "$NODE" "$BIN" "$@"; }; ${printed.replace('NAME', 'web')}`],
    {
      env: { ...process.env, HELVETIA_PREFIX: CLI_PREFIX, HELVETIA_HOME: home, NODE: process.execPath, BIN },
    },
  )
  assert.match(stdout, new RegExp(`${url}/hooks/`))
  assert.ok(await vault.get(webhookSecretAccount(id)), 'connected: the webhook secret is kept')
})

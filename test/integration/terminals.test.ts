/**
 * Terminals through the real core: a shell on the test server in a pty channel of its pooled
 * connection (input, resize, exit code, cancel), a shell in a deployed app's container, a local
 * shell in node-pty (and refused in the web mode), and a burst of output read by a slow consumer:
 * complete, with the source paused instead of the output piling up.
 */
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { test, type TestContext } from 'node:test'
import type { OpenTerminalInput, TerminalEvent } from '../../src-main/api/terminals'
import { createCore, type Core } from '../../src-main/core/create-core'
import { sh } from '../../src-main/core/shell/quote'
import { createKeytarVault } from '../../src-main/core/vault/vault'
import { APP_ROOT, tempHome } from '../support/temp-home'
import { failsWith } from '../support/user-error'
import { coreTestbed, testCore } from './core-support'
import { busyboxApp } from './deploy-support'
import { provisionTestbed } from './provision-support'

/** A terminal opened through the API, read as a face would, with what it printed so far. */
class Term {
  text = ''
  exit: number | null | undefined
  readonly abort = new AbortController()
  readonly #events: AsyncIterator<TerminalEvent>
  id = ''

  constructor(
    readonly core: Core,
    input: OpenTerminalInput,
  ) {
    this.#events = core.api['terminals:open'](input, this.abort.signal)[Symbol.asyncIterator]()
  }

  async opened(): Promise<this> {
    const first = await this.#events.next()
    assert.equal(first.value?.type, 'opened')
    this.id = (first.value as { id: string }).id
    return this
  }

  type(data: string): Promise<void> {
    return this.core.api['terminals:input']({ id: this.id, data })
  }

  /**
   * Types a command line once the shell shows its prompt (`$ ` or `# `, maybe followed by control
   * sequences: BusyBox asks for the cursor position and clears the line), and returns where its echo
   * starts. Typed earlier, the pty echoes it before the prompt and the output follows the prompt
   * instead of a line break.
   */
  async run(line: string): Promise<number> {
    // eslint-disable-next-line no-control-regex
    await this.until(/[$#] (\x1b\[[0-9;]*[A-Za-z])*$/, this.#ready)
    const mark = this.text.length
    await this.type(`${line}\r`)
    this.#ready = mark + line.length
    return mark
  }

  #ready = 0

  /** Reads until the output (since `from`) matches, for at most a minute; returns the match. */
  async until(pattern: RegExp, from = 0): Promise<RegExpMatchArray> {
    const deadline = Date.now() + 60_000
    for (;;) {
      const match = this.text.slice(from).match(pattern)
      if (match) return match
      const next = await Promise.race([this.#events.next(), sleep(deadline - Date.now(), null)])
      if (next === null) assert.fail(`no ${pattern} in ${JSON.stringify(this.text.slice(from))}`)
      if (next.done)
        assert.fail(`the terminal ended before ${pattern}; it printed ${JSON.stringify(this.text)}`)
      if (next.value.type === 'data') this.text += next.value.data
      if (next.value.type === 'exit') this.exit = next.value.code
    }
  }

  /** Reads to the end; resolves with the exit code. */
  async ended(): Promise<number | null | undefined> {
    for (let next = await this.#events.next(); !next.done; next = await this.#events.next()) {
      if (next.value.type === 'data') this.text += next.value.data
      if (next.value.type === 'exit') this.exit = next.value.code
    }
    return this.exit
  }
}

/** The real core with the test server added (nothing provisioned: a shell needs no proxy). */
async function serverCore(t: TestContext) {
  const bed = provisionTestbed(t)
  if (!bed) return undefined
  return { ...bed, ...(await testCore(t, bed)) }
}

/** Waits until `check` holds (or fails after `ms`): for what happens on the server. */
async function until(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`)
    await sleep(100)
  }
}

test('server terminal: runs input, follows a resize, reports the exit code, cancel closes it', async (t) => {
  const bed = await serverCore(t)
  if (!bed) return
  const server = { kind: 'server', server: bed.serverName } as const

  const term = await new Term(bed.core, { ...server, rows: 24, cols: 80 }).opened()
  await term.until(/[\r\n]42\r\n/, await term.run('echo $((6*7))'))

  await bed.core.api['terminals:resize']({ id: term.id, rows: 31, cols: 97 })
  await term.until(/[\r\n]31 97\r\n/, await term.run('stty size'))

  await term.run('exit 3')
  assert.equal(await term.ended(), 3)
  await assert.rejects(
    bed.core.api['terminals:input']({ id: term.id, data: 'x' }),
    failsWith('TERMINAL_CLOSED'),
  )

  // Cancel: the stream ends, the shell on the server goes, the channel's slot is free again.
  const cancelled = await new Term(bed.core, { ...server, rows: 24, cols: 80 }).opened()
  const [, pid] = await cancelled.until(/[\r\n]pid=(\d+)\r\n/, await cancelled.run('echo pid=$$'))
  cancelled.abort.abort()
  assert.equal(await cancelled.ended(), undefined, 'no exit event after a cancel')
  await until('the shell to end on the server', async () => {
    const alive = await bed.target.exec(sh`kill -0 ${pid ?? ''} 2>/dev/null`)
    return alive.code !== 0
  })
  await assert.rejects(
    bed.core.api['terminals:input']({ id: cancelled.id, data: 'x' }),
    failsWith('TERMINAL_CLOSED'),
  )
})

test('server terminals leave channels for deploys: a seventh one is refused', async (t) => {
  const bed = await serverCore(t)
  if (!bed) return
  const open: Term[] = []
  for (let i = 0; i < 6; i++) {
    open.push(
      await new Term(bed.core, { kind: 'server', server: bed.serverName, rows: 5, cols: 20 }).opened(),
    )
  }
  await assert.rejects(
    new Term(bed.core, { kind: 'server', server: bed.serverName, rows: 5, cols: 20 }).opened(),
    failsWith('TERMINAL_LIMIT'),
  )
  // Six channels held for good, and a command still gets one.
  assert.equal((await bed.core.servers.check(bed.serverName)).os.length > 0, true)
  for (const term of open) term.abort.abort()
})

test('container terminal: a shell in the app’s live container', async (t) => {
  const bed = await coreTestbed(t)
  if (!bed) return
  const { api } = bed.core
  await assert.rejects(
    new Term(bed.core, { kind: 'container', app: 'nope', rows: 24, cols: 80 }).opened(),
    failsWith('APP_NOT_FOUND'),
  )
  const folder = await bed.folder(busyboxApp(bed.server.images.busybox, 'hello\n'))
  await api['apps:create']({
    name: 'termweb',
    server: bed.serverName,
    source: { kind: 'folder', path: folder },
    port: 8080,
    domains: ['http://termweb.test'],
    healthPath: '/index.html',
  })
  await assert.rejects(
    new Term(bed.core, { kind: 'container', app: 'termweb', rows: 24, cols: 80 }).opened(),
    failsWith('NOT_DEPLOYED'),
  )
  const deployment = await bed.core.apps.deploy('termweb')
  assert.equal(deployment.status, 'succeeded', JSON.stringify(deployment.error))
  const id = await bed.target.exec(sh`docker inspect --format '{{.Id}}' ${deployment.container ?? ''}`)
  assert.equal(id.code, 0, id.stderr)

  const term = await new Term(bed.core, { kind: 'container', app: 'termweb', rows: 24, cols: 80 }).opened()
  await term.until(new RegExp(`[\\r\\n]${id.stdout.trim().slice(0, 12)}\\r\\n`), await term.run('hostname'))
  await term.run('exit 4')
  assert.equal(await term.ended(), 4)
})

test('local terminal: the user’s shell in a pty; off in the web mode unless opted in', async (t) => {
  // The machine's own ~/.bashrc may do anything (this one runs pyenv): a plain sh keeps the test about
  // Helvetia. The test runner gives each file a process of its own.
  process.env.SHELL = '/bin/sh'
  const core = createCore({ home: tempHome(t), appRoot: APP_ROOT, vault: createKeytarVault(), face: 'test' })
  t.after(() => core.close())
  const term = await new Term(core, { kind: 'local', rows: 24, cols: 80 }).opened()
  await term.until(/[\r\n]42 €\r\n/, await term.run('echo $((6*7)) €'))
  await core.api['terminals:resize']({ id: term.id, rows: 40, cols: 120 })
  await term.until(/[\r\n]40 120\r\n/, await term.run('stty size'))
  await term.run('exit 5')
  assert.equal(await term.ended(), 5)

  const web = createCore({ home: tempHome(t), appRoot: APP_ROOT, vault: createKeytarVault(), face: 'web' })
  t.after(() => web.close())
  await assert.rejects(
    new Term(web, { kind: 'local', rows: 24, cols: 80 }).opened(),
    failsWith('LOCAL_TERMINAL_OFF'),
  )
})

test('a burst read by a slow consumer arrives whole, with the channel paused meanwhile', async (t) => {
  const bed = await serverCore(t)
  if (!bed) return
  const lines = 1_000_000
  const session = await bed.core.terminals.open({
    kind: 'server',
    server: bed.serverName,
    rows: 24,
    cols: 80,
  })
  // The command's own echo cannot match the count line below: it shows `$((…))`, not a number.
  bed.core.terminals.input(
    session.id,
    `stty -echo; yes | head -n ${lines}; echo "count=$((${lines}))"; exit\r`,
  )
  let text = ''
  let events = 0
  for (let next = await session.output.next(); !next.done; next = await session.output.next()) {
    if (next.value.type !== 'data') continue
    text += next.value.data
    // A consumer slower than the link: the output waits in the buffer, then upstream.
    events++
    await sleep(20)
  }
  // Lines, not whole lines: the shell's escape sequences may come before the first one.
  const ys = text.match(/y\r\n/g)?.length
  assert.equal(ys, lines, 'every line arrived')
  assert.match(text, new RegExp(`count=${lines}`))
  const { peak, pauses } = session.output.stats
  console.log(
    `burst: ${text.length} characters in ${events} events; held at most ${peak}; paused ${pauses} times`,
  )
  assert.ok(pauses > 0, 'the channel was paused')
  assert.ok(peak <= 256 * 1024 + 64 * 1024, `held at most the high water mark and one read (${peak})`)
})

/**
 * SshConnection against the real test sshd: logins (key file, agent, a generated key), commands
 * (output, stdin, streaming, exit codes, abort), terminals, port forwards, MaxSessions, the pool,
 * and coming back by itself after sshd restarts.
 */
import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, test, type TestContext } from 'node:test'
import type { ClientChannel } from 'ssh2'
import { sh } from '../../src-main/core/shell/quote'
import { createConnectionPool } from '../../src-main/core/ssh/connection-pool'
import { createHostKeyPolicy } from '../../src-main/core/ssh/host-key-policy'
import { installPublicKey } from '../../src-main/core/remote/authorized-keys'
import { ScriptRunner } from '../../src-main/core/remote/script-runner'
import { generateKeyPair } from '../../src-main/core/ssh/key-pair'
import type { SshAuth } from '../../src-main/core/ssh/ssh-auth'
import {
  type ConnectionStatus,
  SshConnection,
  type SshConnectionOptions,
} from '../../src-main/core/ssh/ssh-connection'
import { type TestServer, testServer } from '../support/test-server'
import { failsWith } from '../support/user-error'
import { tempHome } from '../support/temp-home'

const scripts = new ScriptRunner({
  scriptsDir: fileURLToPath(new URL('../../remote-scripts', import.meta.url)),
})

/** A connection to the test server (key file auth, host key pinned), closed after the test. */
function connectTo(
  t: TestContext,
  server: TestServer,
  options: Partial<SshConnectionOptions> = {},
): SshConnection {
  const connection = new SshConnection({
    host: server.host,
    port: server.port,
    user: server.user,
    auth: { kind: 'key', privateKey: readFileSync(server.keyPath) },
    // An isolated, empty known_hosts: only the pin vouches for the server.
    hostKey: createHostKeyPolicy({
      pinned: server.hostKeyFingerprint,
      knownHostsPath: '/nonexistent/known_hosts',
    }),
    ...options,
  })
  t.after(() => connection.close())
  return connection
}

/** Everything a channel prints until it closes. */
function drain(channel: ClientChannel): Promise<string> {
  return new Promise((resolve) => {
    let text = ''
    channel.on('data', (chunk: Buffer) => (text += chunk.toString()))
    channel.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()))
    channel.on('close', () => resolve(text))
  })
}

/** Resolves when the connection reports `state` (now or later). */
function until(connection: SshConnection, state: ConnectionStatus['state']): Promise<void> {
  if (connection.status.state === state) return Promise.resolve()
  return new Promise((resolve) => {
    const off = connection.onStatus((status) => {
      if (status.state !== state) return
      off()
      resolve()
    })
  })
}

describe('commands', () => {
  test('output, exit codes and signals come back like sh reports them', async (t) => {
    const server = testServer(t)
    if (!server) return
    const connection = connectTo(t, server)
    assert.deepEqual(await connection.exec('id -un; echo oops >&2; exit 3'), {
      code: 3,
      stdout: `${server.user}\n`,
      stderr: 'oops\n',
    })
    assert.equal((await connection.exec('kill -TERM $$')).code, 143)
    assert.equal((await connection.exec(sh`printf %s ${"it's $HOME"}`)).stdout, "it's $HOME")
  })

  test('stdin is written then closed; output can be streamed', async (t) => {
    const server = testServer(t)
    if (!server) return
    const connection = connectTo(t, server)
    assert.equal((await connection.exec('cat', { stdin: 'hello\n' })).stdout, 'hello\n')
    const big = Buffer.alloc(1024 * 1024, 'x')
    assert.equal((await connection.exec('wc -c', { stdin: big })).stdout.trim(), String(big.length))
    // Without stdin the command sees end of input at once rather than hanging.
    assert.equal((await connection.exec('cat; echo end')).stdout, 'end\n')

    const chunks: string[] = []
    const errors: string[] = []
    const streamed = await connection.exec('for i in 1 2 3; do echo $i; echo e$i >&2; done', {
      onStdout: (chunk) => chunks.push(chunk.toString()),
      onStderr: (chunk) => errors.push(chunk.toString()),
    })
    assert.deepEqual(streamed, { code: 0, stdout: '', stderr: '' })
    assert.equal(chunks.join(''), '1\n2\n3\n')
    assert.equal(errors.join(''), 'e1\ne2\ne3\n')
  })

  test('abort ends the command and its children on the server', async (t) => {
    const server = testServer(t)
    if (!server) return
    const connection = connectTo(t, server)
    const marker = `${process.pid}.${Date.now() % 100000}`
    const controller = new AbortController()
    const started: string[] = []
    const running = connection.exec(sh`echo started; sleep ${`1${marker}`} | cat; echo not-reached`, {
      signal: controller.signal,
      onStdout: (chunk) => {
        started.push(chunk.toString())
        controller.abort()
      },
    })
    await assert.rejects(running, { name: 'AbortError' })
    assert.deepEqual(started, ['started\n'])
    // sshd delivers the signal with killpg: the pipeline's processes are gone too.
    const pattern = `[s]leep 1${marker}`
    for (let i = 0; i < 50; i++) {
      if ((await connection.exec(sh`pgrep -f ${pattern}`)).code === 1) break
      await sleep(100)
    }
    assert.equal((await connection.exec(sh`pgrep -f ${pattern}`)).code, 1, 'no process is left')
    await assert.rejects(connection.exec('true', { signal: AbortSignal.abort() }), { name: 'AbortError' })
    assert.equal((await connection.exec('echo still-usable')).stdout, 'still-usable\n')
  })

  test('30 commands at once all succeed on a server with MaxSessions 2', async (t) => {
    const server = testServer(t)
    if (!server) return
    const connection = connectTo(t, server, { port: server.portMaxSessions2 })
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => connection.exec(`sleep 0.1; echo ${i}`)),
    )
    assert.deepEqual(
      results.map((r) => [r.code, r.stdout]),
      Array.from({ length: 30 }, (_, i) => [0, `${i}\n`]),
    )
  })
})

describe('terminals and port forwards', () => {
  test('a pty runs the login shell or a command, at the given size', async (t) => {
    const server = testServer(t)
    if (!server) return
    const connection = connectTo(t, server)
    const sized = await connection.openShell({ cols: 101, rows: 33, command: 'stty size; echo $TERM' })
    assert.match(await drain(sized), /33 101\r?\nxterm-256color/)

    const shell = await connection.openShell({ cols: 80, rows: 24 })
    const output = drain(shell)
    shell.write('echo "hi-$((6 * 7))"; exit\n')
    assert.match(await output, /hi-42/)
  })

  test('forwardOut reaches a service on the server', async (t) => {
    const server = testServer(t)
    if (!server) return
    const connection = connectTo(t, server)
    const channel = await connection.forwardOut('127.0.0.1', server.port)
    const banner = await new Promise<string>((resolve) =>
      channel.once('data', (chunk: Buffer) => resolve(chunk.toString())),
    )
    assert.match(banner, /^SSH-2\.0-OpenSSH/)
    channel.close()
    await assert.rejects(connection.forwardOut('127.0.0.1', 1), failsWith('SSH_FORWARD_FAILED'))
  })
})

describe('logins', () => {
  test('through a real ssh-agent', async (t) => {
    const server = testServer(t)
    if (!server) return
    const socket = join(tempHome(t), 'agent.sock')
    const agent: ChildProcess = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' })
    t.after(() => agent.kill())
    for (let i = 0; i < 100 && !existsSync(socket); i++) await sleep(50)
    const agentAuth: SshAuth = { kind: 'agent', socket }

    // An agent without the key: the login is refused, and the error says where the key must go.
    const empty = connectTo(t, server, { auth: agentAuth })
    await assert.rejects(
      empty.connect(),
      failsWith('SSH_AUTH_FAILED', (e) => assert.match(e.hint ?? '', /ssh-add/)),
    )

    execFileSync('ssh-add', ['-q', server.keyPath], { env: { ...process.env, SSH_AUTH_SOCK: socket } })
    const connection = connectTo(t, server, { auth: agentAuth })
    assert.equal((await connection.exec('id -un')).stdout, `${server.user}\n`)

    const gone = connectTo(t, server, { auth: { kind: 'agent', socket: `${socket}.missing` } })
    await assert.rejects(gone.connect(), failsWith('SSH_AGENT_UNAVAILABLE'))
  })

  test('a refused key is an error naming the fix, and is not retried', async (t) => {
    const server = testServer(t)
    if (!server) return
    const connection = connectTo(t, server, {
      auth: { kind: 'key', privateKey: generateKeyPair('stranger').privateKey },
    })
    const states: string[] = []
    connection.onStatus((status) => states.push(status.state))
    await assert.rejects(
      connection.exec('true'),
      failsWith('SSH_AUTH_FAILED', (error) => {
        assert.ok(error.message.includes(server.user))
        assert.match(error.hint ?? '', /authorized_keys/)
      }),
    )
    assert.deepEqual(states, ['connecting', 'offline'])
  })

  test('a generated key installed with installPublicKey logs in', async (t) => {
    const server = testServer(t)
    if (!server) return
    const connection = connectTo(t, server)
    const pair = generateKeyPair('helvetia-test-install')
    const blob = pair.publicKey.split(' ')[1] as string
    try {
      assert.equal(await installPublicKey(scripts, connection, pair.publicKey), true)
      assert.equal(await installPublicKey(scripts, connection, pair.publicKey), false)
      const generated = connectTo(t, server, { auth: { kind: 'key', privateKey: pair.privateKey } })
      assert.equal((await generated.exec('echo in')).stdout, 'in\n')
    } finally {
      // Leave the shared test user's authorized_keys as it was.
      await connection.exec(
        sh`f="$HOME/.ssh/authorized_keys"; grep -vF -e ${blob} "$f" > "$f.tmp"; cat "$f.tmp" > "$f"; rm -f "$f.tmp"`,
      )
    }
  })
})

describe('one connection per server', () => {
  test('the pool shares a connection and asks for credentials per connection', async (t) => {
    const server = testServer(t)
    if (!server) return
    let asked = 0
    const pool = createConnectionPool({
      credentialsFor: async () => {
        asked++
        return { kind: 'key', privateKey: readFileSync(server.keyPath) }
      },
      knownHostsPath: '/nonexistent/known_hosts',
    })
    t.after(() => pool.closeAll())
    const record = {
      id: 'srv-1',
      host: server.host,
      port: server.port,
      user: server.user,
      hostKeyFingerprint: server.hostKeyFingerprint,
    }
    const first = pool.get(record)
    assert.equal(pool.get({ ...record }), first)
    await Promise.all([first.exec('true'), pool.get(record).exec('true')])
    assert.equal(asked, 1)

    // Another pin is another connection; the old one is closed.
    const repinned = pool.get({
      ...record,
      hostKeyFingerprint: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    })
    assert.notEqual(repinned, first)
    await assert.rejects(first.exec('true'), failsWith('SSH_CONNECTION_CLOSED'))
    await assert.rejects(repinned.exec('true'), failsWith('HOST_KEY_MISMATCH'))
    pool.close('srv-1')
    assert.equal(repinned.status.state, 'offline')
  })
})

describe('reconnecting', () => {
  test('after sshd restarts, the connection comes back by itself and commands work again', async (t) => {
    const server = testServer(t)
    if (!server) return
    const connection = connectTo(t, server, { reconnect: { giveUpAfterMs: 60_000 } })
    const states: ConnectionStatus[] = []
    connection.onStatus((status) => states.push(status))
    await connection.connect()
    const inFlight = assert.rejects(
      connection.exec('sleep 30'),
      failsWith('SSH_CONNECTION_LOST', (e) => assert.match(e.message, /may or may not/)),
    )
    // Let the command start before its connection is cut.
    assert.equal((await connection.exec('echo ready')).stdout, 'ready\n')

    await server.restartSshd()
    await inFlight
    await until(connection, 'connected')
    assert.deepEqual(
      states.map((s) => s.state).filter((state, i, all) => state !== all[i - 1]),
      ['connecting', 'connected', 'reconnecting', 'connected'],
    )
    const dropped = states.find((s) => s.state === 'reconnecting')
    assert.equal(dropped?.error?.code, 'SSH_CONNECTION_LOST')
    assert.equal((await connection.exec('echo back')).stdout, 'back\n')
  })
})

/**
 * Host keys against the real test sshd: the probe reads the key and sends nothing; a connection
 * refuses an unknown or changed key before any login is attempted (checked in sshd's own log,
 * through a relay that tells which of sshd's connections was ours).
 */
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { connect, createServer, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, test, type TestContext } from 'node:test'
import { createHostKeyPolicy } from '../../src-main/core/ssh/host-key-policy'
import { generateKeyPair } from '../../src-main/core/ssh/key-pair'
import { probeHostKey } from '../../src-main/core/ssh/probe-host-key'
import { SshConnection } from '../../src-main/core/ssh/ssh-connection'
import { type TestServer, testServer } from '../support/test-server'
import { failsWith } from '../support/user-error'

/** A known_hosts file with these lines (none: an empty one), removed after the test. */
function knownHosts(t: TestContext, ...lines: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'helvetia-kh-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const path = join(dir, 'known_hosts')
  writeFileSync(path, lines.map((line) => `${line}\n`).join(''))
  return path
}

/** The server's real host key as a known_hosts line for 127.0.0.1:port. */
function realHostKeyLine(server: TestServer, port = server.port): string {
  const [type, base64] = readFileSync(join(server.stateDir, 'ssh_host_ed25519_key.pub'), 'utf8').split(' ')
  return `[${server.host}]:${port} ${type} ${base64}`
}

/** One connection of the relay to sshd: its local port, which sshd's log names, and where the log stood before it. */
interface SshdSide {
  port: number
  logFrom: number
}

const sshdLog = (server: TestServer): string => join(server.stateDir, 'sshd_main.log')

/**
 * A relay on 127.0.0.1 to the main sshd that records each of its connections to sshd, so a test can
 * read what sshd logged about exactly that connection.
 */
async function relay(t: TestContext, server: TestServer): Promise<{ port: number; sshdSides: SshdSide[] }> {
  const sshdSides: SshdSide[] = []
  const sockets = new Set<Socket>()
  const listener = createServer((client) => {
    const logFrom = statSync(sshdLog(server)).size
    const upstream = connect(server.port, server.host, () =>
      sshdSides.push({ port: upstream.localPort as number, logFrom }),
    )
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('error', () => client.destroy())
    }
    client.pipe(upstream).pipe(client)
    upstream.on('close', () => client.destroy())
  })
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve))
  t.after(() => {
    for (const socket of sockets) socket.destroy()
    listener.close()
  })
  return { port: (listener.address() as { port: number }).port, sshdSides }
}

/**
 * sshd's log lines about one connection, once sshd logged that it ended. Only lines written since it
 * began: the kept test server's log holds earlier connections from the same local port.
 */
async function sshdLogFor(server: TestServer, side: SshdSide | undefined): Promise<string[]> {
  assert.ok(side, 'the relay connected to sshd')
  const mentions = new RegExp(`port ${side.port}\\b`)
  for (let i = 0; ; i++) {
    const lines = readFileSync(sshdLog(server))
      .subarray(side.logFrom)
      .toString('utf8')
      .split('\n')
      .filter((line) => mentions.test(line))
    if (lines.some((line) => /closed|disconnect/i.test(line)) || i === 100) return lines
    await sleep(100)
  }
}

function keyConnection(
  server: TestServer,
  hostKey: ReturnType<typeof createHostKeyPolicy>,
  port = server.port,
) {
  return new SshConnection({
    host: server.host,
    port,
    user: server.user,
    auth: { kind: 'key', privateKey: readFileSync(server.keyPath) },
    hostKey,
  })
}

describe('host key probe', () => {
  test('reads the key, reports it against known_hosts, and sends nothing', async (t) => {
    const server = testServer(t)
    if (!server) return
    const { port, sshdSides } = await relay(t, server)
    const probe = await probeHostKey(server.host, port, { knownHostsPath: knownHosts(t) })
    assert.deepEqual(probe, {
      host: server.host,
      port,
      keyType: 'ssh-ed25519',
      fingerprint: server.hostKeyFingerprint,
      status: 'unknown',
    })
    const log = await sshdLogFor(server, sshdSides[0])
    assert.ok(log.length > 0, 'sshd logged the connection')
    assert.deepEqual(
      log.filter((line) => /publickey|password|user /i.test(line)),
      [],
    )

    const known = await probeHostKey(server.host, server.port, {
      knownHostsPath: knownHosts(t, realHostKeyLine(server)),
    })
    assert.equal(known.status, 'known')
    const other = generateKeyPair('other').publicKey
    const changed = await probeHostKey(server.host, server.port, {
      knownHostsPath: knownHosts(t, `[${server.host}]:${server.port} ${other}`),
    })
    assert.equal(changed.status, 'mismatch')
  })
})

describe('host key policy on a real connection', () => {
  test('an unknown host key is refused without confirmation, and accepted once confirmed', async (t) => {
    const server = testServer(t)
    if (!server) return
    const path = knownHosts(t)
    const unconfirmed = keyConnection(server, createHostKeyPolicy({ knownHostsPath: path }))
    t.after(() => unconfirmed.close())
    await assert.rejects(
      unconfirmed.exec('true'),
      failsWith('HOST_KEY_UNKNOWN', (error) => {
        assert.ok(error.message.includes(server.hostKeyFingerprint))
        assert.match(error.hint ?? '', /--fingerprint/)
      }),
    )
    assert.equal(unconfirmed.status.state, 'offline')
    assert.equal(unconfirmed.status.error?.code, 'HOST_KEY_UNKNOWN')

    // What `--fingerprint` does: the user's confirmation becomes the pin.
    const confirmed = keyConnection(
      server,
      createHostKeyPolicy({ pinned: server.hostKeyFingerprint, knownHostsPath: path }),
    )
    t.after(() => confirmed.close())
    assert.equal((await confirmed.exec('echo ok')).stdout, 'ok\n')
  })

  test('known_hosts vouches for the key when nothing is pinned', async (t) => {
    const server = testServer(t)
    if (!server) return
    const connection = keyConnection(
      server,
      createHostKeyPolicy({ knownHostsPath: knownHosts(t, realHostKeyLine(server)) }),
    )
    t.after(() => connection.close())
    assert.equal((await connection.exec('echo ok')).stdout, 'ok\n')
  })

  test('a changed key (another pin) is refused before any login is attempted', async (t) => {
    const server = testServer(t)
    if (!server) return
    const { port, sshdSides } = await relay(t, server)
    const expected = 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
    const connection = keyConnection(
      server,
      createHostKeyPolicy({ pinned: expected, knownHostsPath: knownHosts(t) }),
      port,
    )
    t.after(() => connection.close())
    await assert.rejects(
      connection.exec('touch /tmp/helvetia-must-not-run'),
      failsWith('HOST_KEY_MISMATCH', (error) => {
        assert.ok(error.message.includes(expected))
        assert.ok(error.message.includes(server.hostKeyFingerprint))
        assert.match(error.hint ?? '', /remove the server and add it again/)
      }),
    )
    assert.equal(sshdSides.length, 1, 'one connection, no retry')
    const log = await sshdLogFor(server, sshdSides[0])
    assert.ok(
      log.some((line) => /^Connection from/.test(line)),
      log.join('\n'),
    )
    assert.deepEqual(
      log.filter((line) => /publickey|password|user /i.test(line)),
      [],
      'sshd saw no login attempt',
    )

    // The control: through the same relay, with the right pin, sshd does log the login.
    const right = keyConnection(
      server,
      createHostKeyPolicy({ pinned: server.hostKeyFingerprint, knownHostsPath: knownHosts(t) }),
      port,
    )
    await right.exec('true')
    right.close()
    const accepted = await sshdLogFor(server, sshdSides[1])
    assert.ok(
      accepted.some((line) => /^Accepted publickey for/.test(line)),
      accepted.join('\n'),
    )
  })

  test('a known_hosts entry naming another key for [127.0.0.1]:port is refused', async (t) => {
    const server = testServer(t)
    if (!server) return
    const other = generateKeyPair('impostor').publicKey
    const path = knownHosts(t, `[${server.host}]:${server.port} ${other}`)
    const connection = keyConnection(server, createHostKeyPolicy({ knownHostsPath: path }))
    t.after(() => connection.close())
    await assert.rejects(
      connection.exec('true'),
      failsWith('HOST_KEY_MISMATCH', (error) => assert.match(error.hint ?? '', /ssh-keygen -R/)),
    )
  })
})

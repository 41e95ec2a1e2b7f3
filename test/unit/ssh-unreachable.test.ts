import assert from 'node:assert/strict'
import { createServer, type Server, type Socket } from 'node:net'
import { test, type TestContext } from 'node:test'
import { UserError } from '../../src-main/core/errors'
import { createHostKeyPolicy } from '../../src-main/core/ssh/host-key-policy'
import { probeHostKey } from '../../src-main/core/ssh/probe-host-key'
import { SshConnection, type ConnectionStatus } from '../../src-main/core/ssh/ssh-connection'
import { unreachable } from '../../src-main/core/ssh/ssh-errors'

/** A TCP server on 127.0.0.1 that does `onConnection` with each client instead of speaking SSH. */
async function fakeServer(t: TestContext, onConnection: (socket: Socket) => void): Promise<number> {
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    onConnection(socket)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => {
    for (const socket of sockets) socket.destroy()
    server.close()
  })
  return (server.address() as { port: number }).port
}

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

const unreachableWith = (pattern: RegExp) => (error: unknown) => {
  assert.ok(error instanceof UserError, String(error))
  assert.equal(error.code, 'SSH_UNREACHABLE')
  assert.match(`${error.message} ${error.hint}`, pattern)
  return true
}

test('a refused port is SSH_UNREACHABLE naming the port to check', async () => {
  const port = await closedPort()
  await assert.rejects(
    probeHostKey('127.0.0.1', port),
    unreachableWith(new RegExp(`refused.*listening on port ${port}`)),
  )
})

test('a server that never speaks SSH times out; one that hangs up is reported too', async (t) => {
  const silent = await fakeServer(t, () => {})
  await assert.rejects(
    probeHostKey('127.0.0.1', silent, { timeoutMs: 300 }),
    unreachableWith(/handshake in time/),
  )
  const hangsUp = await fakeServer(t, (socket) => socket.end())
  await assert.rejects(probeHostKey('127.0.0.1', hangsUp), unreachableWith(/closed the connection before/))
})

test('network errors name what to check', () => {
  const endpoint = { host: 'nowhere.example', port: 22 }
  const error = (code: string): NodeJS.ErrnoException => Object.assign(new Error(code), { code })
  assert.match(unreachable(endpoint, error('ENOTFOUND')).hint ?? '', /check the address/i)
  assert.match(unreachable(endpoint, error('EHOSTUNREACH')).message, /no route/)
  assert.match(unreachable(endpoint, error('ETIMEDOUT')).hint ?? '', /firewall/)
  assert.equal(unreachable(endpoint, error('EWHATEVER')).code, 'SSH_UNREACHABLE')
})

test('a first connection that fails is an error at once, and the connection stays offline', async () => {
  const port = await closedPort()
  const connection = new SshConnection({
    host: '127.0.0.1',
    port,
    user: 'nobody',
    auth: { kind: 'password', password: 'unused' },
    hostKey: createHostKeyPolicy(),
  })
  const states: ConnectionStatus[] = []
  connection.onStatus((status) => states.push(status))
  await assert.rejects(connection.exec('true'), unreachableWith(/refused/))
  assert.deepEqual(
    states.map((s) => [s.state, s.error?.code ?? null]),
    [
      ['connecting', null],
      ['offline', 'SSH_UNREACHABLE'],
    ],
  )
  connection.close()
  await assert.rejects(connection.exec('true'), (error: UserError) => error.code === 'SSH_CONNECTION_CLOSED')
})

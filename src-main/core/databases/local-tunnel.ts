import { createServer, type Server, type Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { UserError } from '../errors'

export interface LocalTunnel {
  /** The port it listens on, on 127.0.0.1. */
  readonly port: number
  /** Stops listening and cuts every connection through it (idempotent). */
  close(): Promise<void>
}

/**
 * A TCP server on 127.0.0.1 (`port`, or a free one when 0) whose every connection is piped both ways
 * to one that `connect` opens (an SSH channel of the server's pooled connection): Node's pipe pauses
 * each side while the other cannot take more, so a slow end holds at most a buffer per direction.
 * `onConnections` hears how many are open after each change. Loopback only: nothing else on the
 * network reaches it.
 */
export async function openLocalTunnel(
  port: number,
  connect: () => Promise<Duplex>,
  onConnections: (open: number) => void,
): Promise<LocalTunnel> {
  const open = new Set<Socket>()
  const remotes = new Set<Duplex>()
  // Half-open: a client that ends its side still gets the answer already on its way.
  const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) => {
    open.add(socket)
    onConnections(open.size)
    socket.once('close', () => {
      open.delete(socket)
      onConnections(open.size)
    })
    socket.on('error', () => socket.destroy())
    connect().then(
      (remote) => {
        remotes.add(remote)
        remote.once('close', () => {
          remotes.delete(remote)
          socket.destroy()
        })
        remote.on('error', () => remote.destroy())
        socket.once('close', () => remote.destroy())
        if (socket.destroyed) return void remote.destroy()
        socket.pipe(remote).pipe(socket)
        socket.resume()
      },
      () => socket.destroy(),
    )
  })
  await listen(server, port)
  let closed: Promise<void> | null = null
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const socket of open) socket.destroy()
        for (const remote of remotes) remote.destroy()
      })),
  }
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new UserError(
              'PORT_IN_USE',
              `Port ${port} on 127.0.0.1 is taken already.`,
              'Give another port with --port, or leave it out for a free one.',
              { field: 'port' },
            )
          : error,
      )
    })
    server.listen(port, '127.0.0.1', () => resolve())
  })
}

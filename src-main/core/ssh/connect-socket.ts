import { connect, type Socket } from 'node:net'
import { type Endpoint, unreachable } from './ssh-errors'

/**
 * Opens the TCP connection an SSH session runs over, giving up after `timeoutMs` (the OS would wait
 * minutes for a host that drops packets) or when `signal` aborts. Failures come back as
 * SSH_UNREACHABLE with what to check.
 */
export function connectSocket(endpoint: Endpoint, timeoutMs: number, signal?: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    // No Nagle: terminals send single keystrokes and should not wait for the previous ACK.
    const socket = connect({ host: endpoint.host, port: endpoint.port, noDelay: true })
    const fail = (error: unknown): void => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      socket.destroy()
      reject(error)
    }
    const onAbort = (): void => fail(signal?.reason)
    const timer = setTimeout(() => {
      const timeout: NodeJS.ErrnoException = new Error(`no answer within ${timeoutMs / 1000} s`)
      timeout.code = 'ETIMEDOUT'
      fail(unreachable(endpoint, timeout))
    }, timeoutMs)
    signal?.addEventListener('abort', onAbort, { once: true })
    socket.once('error', (error: NodeJS.ErrnoException) => fail(unreachable(endpoint, error)))
    socket.once('connect', () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      socket.removeAllListeners('error')
      resolve(socket)
    })
  })
}

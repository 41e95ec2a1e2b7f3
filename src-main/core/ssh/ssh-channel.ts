import type { ClientChannel } from 'ssh2'
import { UserError } from '../errors'
import type { Endpoint, Ssh2Error } from './ssh-errors'

/** The connection went away before a channel was opened: nothing ran, so opening it again is safe. */
export class NotOpened extends Error {}

/** Opens a channel; a connection that went away before the server confirmed it is NotOpened. */
export function open(
  request: (done: (error: Error | undefined, channel: ClientChannel) => void) => void,
): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    try {
      request((error, channel) => {
        // ssh2 fails channels it was still opening with this when the connection closes.
        if (error?.message === 'No response from server') reject(new NotOpened())
        else if (error) reject(error)
        else resolve(channel)
      })
    } catch {
      // ssh2 throws "Not connected" when the socket closed before the close event reached us.
      reject(new NotOpened())
    }
  })
}

export function forwardFailed(endpoint: Endpoint, host: string, port: number, error: Ssh2Error): unknown {
  if (error instanceof UserError) return error
  const target = `${host}:${port}`
  switch (error.reason) {
    case 1:
      return new UserError(
        'SSH_FORWARD_REFUSED',
        `${endpoint.host} does not allow forwarding to ${target}.`,
        'Set `AllowTcpForwarding yes` (or `local`) in the server’s sshd_config and check PermitOpen.',
      )
    case 2:
      return new UserError(
        'SSH_FORWARD_FAILED',
        `${endpoint.host} could not connect to ${target}: ${error.message}`,
        `Check that something listens on ${target} on the server.`,
      )
    default:
      return new UserError(
        'SSH_FORWARD_FAILED',
        `Forwarding to ${target} through ${endpoint.host} failed: ${error.message}`,
        'Check that the server allows TCP forwarding and that the service is up.',
      )
  }
}

/** Ends what runs in a channel: kills its processes on the server, then closes the channel. */
export function stop(channel: ClientChannel): void {
  killRemote(channel)
  channel.close()
}

/**
 * ssh2 sends a signal request only while the channel is writable, and exec closes stdin right away;
 * sshd accepts the request regardless and signals the command's whole process group. Pinned to ssh2
 * 1.17's internals; the abort test in test/integration/ssh-connection.test.ts guards it.
 */
function killRemote(channel: ClientChannel): void {
  const internal = channel as unknown as {
    outgoing: { id: number; state: string }
    _client: { _protocol: { signal(id: number, name: string): void } }
  }
  if (internal.outgoing.state === 'open' || internal.outgoing.state === 'eof') {
    internal._client._protocol.signal(internal.outgoing.id, 'KILL')
  }
}

/** Like sh: 128 + the signal's number. OpenSSH sends only the names below; 255 for anything else, like ssh. */
export function exitCodeOfSignal(signalName: string | undefined): number {
  const number = SIGNAL_NUMBERS[signalName?.replace(/^SIG/, '') ?? '']
  return number === undefined ? 255 : 128 + number
}

/** RFC 4254 §6.10 signal names with their Linux numbers. */
const SIGNAL_NUMBERS: Record<string, number> = {
  HUP: 1,
  INT: 2,
  QUIT: 3,
  ILL: 4,
  ABRT: 6,
  FPE: 8,
  KILL: 9,
  USR1: 10,
  SEGV: 11,
  USR2: 12,
  PIPE: 13,
  ALRM: 14,
  TERM: 15,
}

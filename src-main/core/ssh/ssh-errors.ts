import { UserError } from '../errors'

/** Where a connection goes, for messages. */
export interface Endpoint {
  host: string
  port: number
}

/** ssh2 marks its errors with the stage they come from. */
export type Ssh2Error = Error & { level?: string; code?: string | number; reason?: number }

/** Codes after which trying again later may work (the network or the server came back). */
export const TRANSIENT_CODES: ReadonlySet<string> = new Set(['SSH_UNREACHABLE', 'SSH_CONNECTION_LOST'])

/** A failed TCP connection or DNS lookup, named by what the user can check. */
export function unreachable({ host, port }: Endpoint, cause: NodeJS.ErrnoException): UserError {
  const where = `${host}:${port}`
  switch (cause.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return new UserError(
        'SSH_UNREACHABLE',
        `The host name "${host}" could not be resolved.`,
        'Check the address: is it spelled right, and does your DNS know it (VPN connected)?',
      )
    case 'ECONNREFUSED':
      return new UserError(
        'SSH_UNREACHABLE',
        `${where} refused the connection.`,
        `Check the address and port: is sshd running there and listening on port ${port}?`,
      )
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new UserError(
        'SSH_UNREACHABLE',
        `${where} cannot be reached from here (no route to host).`,
        'Check the address, and that this computer’s network (or VPN) reaches it.',
      )
    case 'ETIMEDOUT':
      return new UserError(
        'SSH_UNREACHABLE',
        `${where} did not answer in time.`,
        'Check the address and port, and that no firewall silently drops SSH traffic to it.',
      )
    default:
      return new UserError(
        'SSH_UNREACHABLE',
        `The connection to ${where} failed: ${cause.message}`,
        'Check the address and port, and that an SSH server answers there; then try again.',
      )
  }
}

/** The connection went away after it was established (network cut, sshd restarted, keepalive lost). */
export function connectionLost({ host, port }: Endpoint, detail: string): UserError {
  return new UserError(
    'SSH_CONNECTION_LOST',
    `The connection to ${host}:${port} was lost: ${detail}`,
    'Check that the server is up and reachable; Helvetia reconnects by itself when it is back.',
  )
}

/**
 * An error ssh2 reported while setting up a connection, as a UserError. Authentication failures are
 * handled by the caller, which knows which credential was refused.
 */
export function handshakeFailure(endpoint: Endpoint, error: Ssh2Error): UserError {
  const where = `${endpoint.host}:${endpoint.port}`
  switch (error.level) {
    case 'client-socket':
      return unreachable(endpoint, error as NodeJS.ErrnoException)
    case 'client-timeout':
      return new UserError(
        'SSH_UNREACHABLE',
        `${where} accepted the connection but did not complete the SSH handshake in time.`,
        'Check that the port is an SSH server’s, and that the server is not overloaded.',
      )
    case 'protocol':
      return new UserError(
        'SSH_UNREACHABLE',
        `${where} closed the connection before the SSH handshake.`,
        'Check that the port is an SSH server’s. The server may also be limiting new connections ' +
          '(MaxStartups) or blocking this address (fail2ban, sshd’s PerSourcePenalties).',
      )
    case 'handshake':
      return new UserError(
        'SSH_HANDSHAKE_FAILED',
        `The SSH handshake with ${where} failed: ${error.message}`,
        'The server and Helvetia found no key exchange, cipher or host key type in common; check ' +
          'the server’s sshd_config (KexAlgorithms, Ciphers, HostKeyAlgorithms) or update its OpenSSH.',
      )
    default:
      return connectionLost(endpoint, error.message)
  }
}

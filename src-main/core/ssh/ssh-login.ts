import type { Socket } from 'node:net'
import type { Client } from 'ssh2'
import { ssh2 } from './ssh2-module'
import { UserError } from '../errors'
import type { HostKeyPolicy } from './host-key-policy'
import { agentUnavailable, authConfig, authFailed, type SshAuth } from './ssh-auth'
import { connectionLost, type Endpoint, handshakeFailure, type Ssh2Error } from './ssh-errors'

export interface LoginOptions {
  endpoint: Endpoint
  user: string
  auth: SshAuth
  hostKey: HostKeyPolicy
  readyTimeoutMs?: number
  keepaliveIntervalMs?: number
  keepaliveCountMax?: number
}

/**
 * The SSH handshake and login over `socket`: the host key is verified before anything is sent, and a
 * refused key, login or agent becomes a UserError naming the fix. `adopt` is called from the client's
 * `ready` event, so no event slips by before the caller listens; aborting `closing` ends the attempt.
 */
export function login(
  socket: Socket,
  options: LoginOptions,
  closing: AbortSignal,
  adopt: (client: Client) => Client,
): Promise<Client> {
  const { endpoint, user, auth, hostKey } = options
  let credentials: ReturnType<typeof authConfig>
  try {
    credentials = authConfig(auth)
  } catch (error) {
    // No agent, or an unreadable key: no login starts, so the socket is not left open unwatched.
    socket.destroy()
    return Promise.reject(error)
  }
  return new Promise((resolve, reject) => {
    const client = new (ssh2().Client)()
    let hostKeyError: UserError | null = null
    let agentError: Error | null = null
    const fail = (error: unknown): void => {
      detach()
      client.on('error', () => {})
      client.destroy()
      reject(error)
    }
    const onError = (error: Ssh2Error): void => {
      // ssh2 reports an agent failure, then moves on to the next method: remember why it failed.
      if (error.level === 'agent') agentError = error
      else if (hostKeyError) fail(hostKeyError)
      // sshd hangs up with "Too many authentication failures" once MaxAuthTries keys were refused.
      else if (error.level === 'client-authentication' || /authentication failures/i.test(error.message)) {
        fail(agentError ? agentUnavailable(agentError) : authFailed(auth, user, endpoint))
      } else fail(handshakeFailure(endpoint, error))
    }
    const onClose = (): void => fail(hostKeyError ?? connectionLost(endpoint, 'it closed during login'))
    const onKeyboard = (...args: unknown[]): void => {
      // Password logins through PAM: answer each prompt with the password.
      const [, , , prompts, finish] = args as [string, string, string, unknown[], (answers: string[]) => void]
      finish(prompts.map(() => (auth.kind === 'password' ? auth.password : '')))
    }
    const onAbort = (): void => fail(closing.reason)
    const detach = (): void => {
      client.off('error', onError)
      client.off('close', onClose)
      client.off('keyboard-interactive', onKeyboard)
      closing.removeEventListener('abort', onAbort)
    }
    client.on('error', onError)
    client.on('close', onClose)
    client.on('keyboard-interactive', onKeyboard)
    client.once('ready', () => {
      detach()
      try {
        resolve(adopt(client))
      } catch (error) {
        reject(error)
      }
    })
    closing.addEventListener('abort', onAbort, { once: true })
    client.connect({
      sock: socket,
      username: user,
      ...credentials,
      readyTimeout: options.readyTimeoutMs ?? 30_000,
      keepaliveInterval: options.keepaliveIntervalMs ?? 15_000,
      keepaliveCountMax: options.keepaliveCountMax ?? 3,
      // Not an async function: ssh2 would take the returned promise for "accepted". Returning
      // nothing makes it wait for verify(); verify(false) aborts the key exchange, before any login.
      hostVerifier: (key: Buffer, verify: (accepted: boolean) => void): void => {
        hostKey.verify(endpoint.host, endpoint.port, key).then(
          () => verify(true),
          (error: unknown) => {
            hostKeyError = error instanceof UserError ? error : unreadableHostKey(endpoint, error)
            verify(false)
          },
        )
      },
    })
  })
}

function unreadableHostKey({ host, port }: Endpoint, error: unknown): UserError {
  return new UserError(
    'SSH_HANDSHAKE_FAILED',
    `${host}:${port} presented a host key Helvetia cannot read: ${(error as Error).message}`,
    'Check the server’s host keys (`ssh-keygen -l -f /etc/ssh/ssh_host_ed25519_key.pub` on it).',
  )
}

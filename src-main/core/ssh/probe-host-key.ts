import { ssh2 } from './ssh2-module'
import type { HostKeyProbe } from '../../api/contract'
import { connectSocket } from './connect-socket'
import { fingerprint, keyType } from './fingerprint'
import { hostKeyRevoked } from './host-key-policy'
import { readKnownHosts } from './known-hosts'
import { connectionLost, handshakeFailure, type Ssh2Error } from './ssh-errors'

export interface ProbeOptions {
  /** For the TCP connection, and again for the handshake (default 10 s). */
  timeoutMs?: number
  /** OpenSSH's known_hosts (default ~/.ssh/known_hosts). */
  knownHostsPath?: string
}

/**
 * Connects just far enough to read the server's host key and hangs up: the key is refused in the key
 * exchange, so no user name, key or password is ever sent. The user confirms the fingerprint before
 * Helvetia connects for real. A key known_hosts marks `@revoked` is an error, not something to confirm.
 */
export async function probeHostKey(
  host: string,
  port = 22,
  options: ProbeOptions = {},
): Promise<HostKeyProbe> {
  const endpoint = { host, port }
  const timeoutMs = options.timeoutMs ?? 10_000
  const socket = await connectSocket(endpoint, timeoutMs)
  const keyBlob = await new Promise<Buffer>((resolve, reject) => {
    let presented: Buffer | null = null
    const client = new (ssh2().Client)()
    const settle = (error: Error): void => {
      client.destroy()
      if (presented) resolve(presented)
      else reject(error)
    }
    client.on('error', (error: Ssh2Error) => settle(handshakeFailure(endpoint, error)))
    client.on('close', () => settle(connectionLost(endpoint, 'closed before presenting a host key')))
    client.connect({
      sock: socket,
      // Required by ssh2, never sent: the handshake stops at the host key.
      username: 'helvetia-probe',
      readyTimeout: timeoutMs,
      hostVerifier: (key: Buffer) => {
        presented = key
        return false
      },
    })
  })
  const type = keyType(keyBlob)
  const status = (await readKnownHosts(options.knownHostsPath)).lookup(host, port, type, keyBlob)
  if (status === 'revoked') throw hostKeyRevoked(host, port, keyBlob)
  return { host, port, keyType: type, fingerprint: fingerprint(keyBlob), status }
}

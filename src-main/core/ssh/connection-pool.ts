import type { ServerSummary } from '../../api/contract'
import { createHostKeyPolicy } from './host-key-policy'
import type { SshAuth } from './ssh-auth'
import { SshConnection, type SshConnectionOptions } from './ssh-connection'

/** What the pool needs to know of a server (a ServerRecord or ServerSummary will do). */
export type PooledServer = Pick<ServerSummary, 'id' | 'host' | 'port' | 'user' | 'hostKeyFingerprint'>

export interface ConnectionPoolOptions {
  /** The credential for a server, asked before each (re)connection: keys and passphrases live in the vault. */
  credentialsFor: (server: PooledServer) => Promise<SshAuth>
  /** OpenSSH's known_hosts for servers with no pinned fingerprint (default ~/.ssh/known_hosts). */
  knownHostsPath?: string
  /** Called each time a server's connection is (re)established, e.g. to refresh what is known of it. */
  onConnected?: (server: PooledServer) => void
  /** Timeouts, keepalive and reconnect settings for every connection. */
  connection?: Omit<SshConnectionOptions, 'host' | 'port' | 'user' | 'auth' | 'hostKey'>
}

/**
 * One SshConnection per server, made on first use and shared by everything that works on that server
 * (commands, uploads, logs, terminals), so a server sees one login, not one per task.
 */
export function createConnectionPool(options: ConnectionPoolOptions) {
  const pool = new Map<string, { connection: SshConnection; identity: string }>()

  const close = (serverId: string): void => {
    pool.get(serverId)?.connection.close()
    pool.delete(serverId)
  }

  return {
    /** The server's connection; a new one when its address, user or pinned host key changed. */
    get(server: PooledServer): SshConnection {
      const identity = JSON.stringify([server.host, server.port, server.user, server.hostKeyFingerprint])
      const pooled = pool.get(server.id)
      if (pooled?.identity === identity) return pooled.connection
      if (pooled) close(server.id)
      const connection = new SshConnection({
        ...options.connection,
        host: server.host,
        port: server.port,
        user: server.user,
        auth: () => options.credentialsFor(server),
        hostKey: createHostKeyPolicy({
          pinned: server.hostKeyFingerprint,
          knownHostsPath: options.knownHostsPath,
        }),
      })
      const { onConnected } = options
      if (onConnected) {
        connection.onStatus(({ state }) => {
          if (state === 'connected') onConnected(server)
        })
      }
      pool.set(server.id, { connection, identity })
      return connection
    },
    close,
    closeAll(): void {
      for (const serverId of [...pool.keys()]) close(serverId)
    },
  }
}

export type ConnectionPool = ReturnType<typeof createConnectionPool>

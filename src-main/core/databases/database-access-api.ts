import type { ApiHandlers } from '../../api/contract'
import type { TunnelEvent } from '../../api/databases'
import { boundedStream } from '../bounded-stream'
import type { DatabaseLinks } from './database-links'
import { openDatabaseTunnel, type DatabaseTunnelDeps } from './database-tunnel'

type AccessMethods = 'databases:link' | 'databases:unlink' | 'databases:tunnel'

/** The API's methods that link databases to apps and reach them from this computer. */
export function databaseAccessApi(
  links: DatabaseLinks,
  tunnels: DatabaseTunnelDeps,
): Pick<ApiHandlers, AccessMethods> {
  return {
    'databases:link': ({ name, app, as }) => links.link(name, app, as),
    'databases:unlink': ({ name, app }) => links.unlink(name, app),
    'databases:tunnel': ({ name, port }, signal) =>
      boundedStream<TunnelEvent>(
        async (sink) => {
          const tunnel = await openDatabaseTunnel(tunnels, name, port ?? 0, (open) =>
            sink.push({ type: 'connections', open }),
          )
          try {
            sink.push({ type: 'listening', url: tunnel.url, port: tunnel.port })
            // Open until the reader cancels (Ctrl-C in the CLI, closing it in the app).
            if (!sink.signal.aborted) {
              await new Promise((resolve) => sink.signal.addEventListener('abort', resolve, { once: true }))
            }
          } finally {
            await tunnel.close()
          }
        },
        signal,
        // Connections come and go at the clients' pace, which nothing here can pause: only the newest
        // count matters, so a reader that lags sees it and misses the counts in between. `listening`
        // is never dropped.
        {
          highWater: 2,
          overflow: (held, item) => [...held.filter((event) => event.type === 'listening'), item],
        },
      ),
  }
}

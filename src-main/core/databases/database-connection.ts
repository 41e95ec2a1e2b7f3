import type { DatabaseEngine } from '../../api/databases'
import type { ServerRecord } from '../store/server-store'

/**
 * What reaching a database needs of the databases service: its server, engine and port on Helvetia's
 * network, and its connection URL (with the password, from the keychain) to any host and port.
 */
export interface DatabaseConnection {
  name: string
  server: ServerRecord
  engine: DatabaseEngine
  /** The engine's port inside Helvetia's network (the container publishes none). */
  port: number
  /** The container's host name on Helvetia's network: what a linked app connects to. */
  host: string
  /** The connection URL to `host:port`, with the password. */
  url(host: string, port: number): string
}

export type ConnectionOf = (name: string) => Promise<DatabaseConnection>

/** The env key a link uses unless told otherwise: the name each engine's libraries look for. */
export function defaultLinkKey(engine: DatabaseEngine): string {
  switch (engine) {
    case 'redis':
      return 'REDIS_URL'
    case 'mongodb':
      return 'MONGODB_URL'
    default:
      return 'DATABASE_URL'
  }
}

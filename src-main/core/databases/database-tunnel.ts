import type { ScriptRunner } from '../remote/script-runner'
import type { Servers } from '../servers/servers'
import type { ConnectionOf } from './database-connection'
import { openLocalTunnel, type LocalTunnel } from './local-tunnel'

export interface DatabaseTunnelDeps {
  connectionOf: ConnectionOf
  servers: Pick<Servers, 'targetFor'>
  scripts: ScriptRunner
  /** Names the database containers and folders on servers; default `helvetia`. */
  prefix?: string
}

/**
 * A local port on 127.0.0.1 to a database: each connection is an SSH channel of its server's pooled
 * connection to the container's address on Helvetia's network (db.address), so the database never
 * needs a published port. The address is checked before the port opens (a stopped database fails
 * here, not on the first connection) and looked up again after a connection fails to open (the
 * container got a new one when it was recreated).
 */
export async function openDatabaseTunnel(
  deps: DatabaseTunnelDeps,
  name: string,
  port: number,
  onConnections: (open: number) => void,
): Promise<LocalTunnel & { url: string }> {
  const { servers, scripts, prefix = 'helvetia' } = deps
  const database = await deps.connectionOf(name)
  const target = servers.targetFor(database.server)
  const lookUp = async () =>
    (await scripts.call(target, 'db.address', { prefix, database: name })).facts.address ?? ''
  let address: Promise<string> | null = Promise.resolve(await lookUp())
  const connect = async () => {
    address ??= lookUp()
    try {
      return await scripts.connect(target, await address, database.port)
    } catch (error) {
      address = null
      throw error
    }
  }
  const tunnel = await openLocalTunnel(port, connect, onConnections)
  return { ...tunnel, url: database.url('127.0.0.1', tunnel.port) }
}

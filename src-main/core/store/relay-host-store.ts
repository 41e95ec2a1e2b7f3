import type { Db } from './database'

/** Which server each relay Helvetia installed runs on. */
export function createRelayHostStore(db: Db) {
  const byUrl = db.prepare<[string], { server_id: string }>(
    'SELECT server_id FROM relay_hosts WHERE relay_url = ?',
  )
  const save = db.prepare<[string, string, string]>(
    `INSERT INTO relay_hosts (relay_url, server_id, created_at) VALUES (?, ?, ?)
     ON CONFLICT (relay_url) DO UPDATE SET server_id = excluded.server_id`,
  )
  return {
    /** The id of the server the relay runs on, or null for a relay Helvetia did not install. */
    serverIdOf: (relayUrl: string): string | null => byUrl.get(relayUrl)?.server_id ?? null,
    /** The relay at `relayUrl` now runs on this server. */
    save: (relayUrl: string, serverId: string): void =>
      void save.run(relayUrl, serverId, new Date().toISOString()),
  }
}

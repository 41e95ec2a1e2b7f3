import type { Db } from './database'
import { relayTokenAccount } from '../vault/accounts'
import type { Vault } from '../vault/vault'

/**
 * When a relay's token goes: it is kept while it serves something (an app's webhook goes through the
 * relay, or the relay runs on a server this computer knows), and deleted from the keychain once the
 * last of these is removed.
 */
export function createRelayTokens(db: Db) {
  const ofApp = db.prepare<[string], { relay_url: string }>(
    'SELECT relay_url FROM app_webhooks WHERE app_id = ?',
  )
  const ofServer = db.prepare<[string], { relay_url: string }>(
    'SELECT relay_url FROM relay_hosts WHERE server_id = ?',
  )
  const used = db.prepare<[string, string], { used: number }>(
    `SELECT 1 AS used FROM app_webhooks WHERE relay_url = ?
     UNION ALL SELECT 1 FROM relay_hosts h JOIN servers s ON s.id = h.server_id WHERE h.relay_url = ?`,
  )
  return {
    /** The relay the app's webhook goes through, if any. */
    ofApp: (appId: string): string[] => ofApp.all(appId).map((row) => row.relay_url),
    /** The relays installed on the server. */
    ofServer: (serverId: string): string[] => ofServer.all(serverId).map((row) => row.relay_url),
    /** Deletes the tokens of those of `relays` that serve nothing any more. */
    async forgetUnused(vault: Vault, relays: readonly string[]): Promise<void> {
      for (const relay of relays) {
        if (!used.get(relay, relay)) await vault.delete(relayTokenAccount(relay))
      }
    },
  }
}

export type RelayTokens = ReturnType<typeof createRelayTokens>

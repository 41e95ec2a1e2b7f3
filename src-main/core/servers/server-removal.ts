import { forgetApp } from '../apps/app-removal'
import { UserError } from '../errors'
import type { ConnectionPool } from '../ssh/connection-pool'
import { serverSecrets } from '../vault/accounts'
import type { AppStore } from '../store/app-store'
import type { Changes } from '../changes'
import type { RelayTokens } from '../store/relay-tokens'
import type { ServerStore } from '../store/server-store'
import type { Vault } from '../vault/vault'

/**
 * Forgets a server on this computer and deletes its keys from the keychain; nothing on the server
 * changes. A server that still has apps is refused (SERVER_HAS_APPS), since they would point at
 * nothing; with `force`, its apps are forgotten on this computer too (their records and secrets),
 * and keep running on the server. Returns the names of the apps forgotten.
 */
export async function removeServer(
  deps: {
    store: ServerStore
    apps: AppStore
    vault: Vault
    relayTokens: RelayTokens
    changes: Changes
    pool: ConnectionPool
  },
  server: { id: string; name: string },
  options: { force?: boolean } = {},
): Promise<string[]> {
  const { store, apps, vault, relayTokens, changes, pool } = deps
  const onServer = apps.byServer(server.id)
  const names = onServer.map((app) => app.name)
  if (onServer.length > 0 && !options.force) {
    throw new UserError(
      'SERVER_HAS_APPS',
      `${server.name} still has ${names.length === 1 ? 'an app' : `${names.length} apps`}: ${names.join(', ')}.`,
      `Remove ${names.length === 1 ? 'it' : 'them'} first (${names.map((app) => `\`helvetia app remove ${app}\``).join(', ')}), ` +
        `or forget the server and its apps on this computer only with \`helvetia server remove ${server.name} --force\` (they keep running on the server).`,
    )
  }
  for (const app of onServer) await forgetApp({ store: apps, vault, relayTokens }, app)
  if (onServer.length > 0) changes.emit('apps')
  pool.close(server.id)
  const secrets = serverSecrets(server.id)
  await vault.delete(secrets.privateKey)
  await vault.delete(secrets.passphrase)
  const relays = relayTokens.ofServer(server.id)
  store.remove(server.id)
  await relayTokens.forgetUnused(vault, relays)
  changes.emit('servers')
  return names
}

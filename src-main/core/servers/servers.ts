import type { ServerSummary } from '../../api/contract'
import type { Changes } from '../changes'
import { UserError } from '../errors'
import type { ServerRecord, ServerStore } from '../store/server-store'
import type { Vault } from '../vault/vault'

/** Vault accounts that belong to a server, removed with it. */
export const serverSecrets = (id: string) => ({
  privateKey: `server:${id}:private-key`,
  passphrase: `server:${id}:passphrase`,
})

export const summarize = ({ keyPath: _keyPath, ...summary }: ServerRecord): ServerSummary => summary

export function createServers(deps: { store: ServerStore; vault: Vault; changes: Changes }) {
  const { store, vault, changes } = deps
  const get = (name: string): ServerRecord => {
    const server = store.get(name)
    if (!server) {
      throw new UserError(
        'SERVER_NOT_FOUND',
        `No server named "${name}".`,
        'Run `helvetia server list` to see the servers.',
      )
    }
    return server
  }
  return {
    get,
    list: (): ServerSummary[] => store.list().map(summarize),
    async remove(name: string): Promise<void> {
      const server = get(name)
      const secrets = serverSecrets(server.id)
      await vault.delete(secrets.privateKey)
      await vault.delete(secrets.passphrase)
      store.remove(server.id)
      changes.emit('servers')
    },
  }
}

export type Servers = ReturnType<typeof createServers>

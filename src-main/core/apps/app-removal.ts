import { appSecretAccount, deployKeyAccount, webhookSecretAccount } from '../vault/accounts'
import type { Vault } from '../vault/vault'
import type { RelayTokens } from '../store/relay-tokens'
import type { AppContext } from './app-context'
import type { AppRecord, AppStore } from '../store/app-store'

/**
 * Forgets an app on this computer: its keychain entries (secret env values, deploy key, webhook secret,
 * and its relay's token when no other app or known server needs it), then its record. Nothing on its
 * server changes.
 */
export async function forgetApp(
  deps: { store: AppStore; vault: Vault; relayTokens: RelayTokens },
  app: AppRecord,
): Promise<void> {
  const { store, vault, relayTokens } = deps
  for (const v of store.env(app.id)) {
    if (v.secret) await vault.delete(appSecretAccount(app.id, v.key))
  }
  if (app.source.kind === 'git' && app.source.deployKey) await vault.delete(deployKeyAccount(app.id))
  await vault.delete(webhookSecretAccount(app.id))
  const relays = relayTokens.ofApp(app.id)
  store.remove(app.id)
  await relayTokens.forgetUnused(vault, relays)
}

export function createAppRemoval(ctx: AppContext) {
  return {
    /** Removes the app from its server (route, containers, images, history), the keychain and the store. */
    async remove(name: string, signal?: AbortSignal): Promise<void> {
      const app = ctx.get(name)
      await ctx.deployer.remove(ctx.targetOf(app), app.name, signal)
      await forgetApp(ctx, app)
      ctx.changed()
    },
  }
}

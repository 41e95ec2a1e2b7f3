import type { VolumesChoice, VolumesOutcome } from '../../api/apps'
import { invalidOption, UserError } from '../errors'
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
    /**
     * Removes the app from its server (route, containers, images, history), the keychain and the store.
     * `volumes`: keep or delete its volumes; an app with volumes in its settings is not removed without
     * that choice (VOLUMES_CHOICE_NEEDED). Without volumes in its settings, volumes taken out of them
     * earlier are kept.
     */
    async remove(name: string, volumes?: VolumesChoice, signal?: AbortSignal): Promise<VolumesOutcome> {
      const app = ctx.get(name)
      if (volumes !== undefined && volumes !== 'keep' && volumes !== 'delete')
        throw invalidOption('volumes choice', volumes, 'keep or delete', 'volumes')
      const named = (app.spec.volumes ?? []).filter((v) => !v.source.startsWith('/'))
      if (volumes === undefined && named.length > 0) {
        throw new UserError(
          'VOLUMES_CHOICE_NEEDED',
          `${app.name} has volumes (${named.map((v) => v.source).join(', ')}): removing it needs a choice between keeping and deleting them.`,
          `Keep them with their data (\`helvetia app remove ${app.name} --keep-volumes\`) or delete them (\`--delete-volumes\`).`,
          { field: 'volumes' },
        )
      }
      const outcome = await ctx.deployer.remove(ctx.targetOf(app), app.name, volumes ?? 'keep', signal)
      await forgetApp(ctx, app)
      ctx.changed()
      return outcome
    },
  }
}

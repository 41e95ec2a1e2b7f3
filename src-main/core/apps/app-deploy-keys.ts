import type { DeployKeyInfo } from '../../api/apps'
import { UserError } from '../errors'
import type { KeyPair } from '../ssh/key-pair'
import { deployKeyAccount } from '../vault/accounts'
import type { AppContext } from './app-context'
import type { AppRecord, AppSource } from '../store/app-store'
import { deployKeyInfo, type StoredDeployKey } from './deploy-key'

/** A git app's deploy key: shown, and replaced (rotated, or added on GitHub). */
export function createAppDeployKeys(ctx: AppContext) {
  const { store, vault } = ctx

  const deployKeyOf = (app: AppRecord): StoredDeployKey => {
    if (app.source.kind === 'git' && app.source.deployKey) return app.source.deployKey
    throw new UserError(
      'DEPLOY_KEY_NONE',
      `${app.name} has no deploy key.`,
      'Deploy keys belong to apps of a private repository over SSH (`helvetia app create NAME --git git@… --generate-deploy-key`).',
    )
  }

  return {
    /** A git app's deploy key: its public half, its fingerprint, whether Helvetia added it on GitHub. */
    deployKey: (name: string): DeployKeyInfo => deployKeyInfo(deployKeyOf(ctx.get(name))),

    /**
     * Makes `pair` the app's deploy key: its private half replaces the old one in the keychain, then its
     * public half (and `githubKeyId`) the old one in the store. Should the store refuse, the old private
     * half goes back, so the app is left with one consistent key either way. Resolves the replaced key.
     */
    async replaceDeployKey(name: string, pair: KeyPair, githubKeyId?: number): Promise<DeployKeyInfo> {
      const app = ctx.get(name)
      const previous = deployKeyOf(app)
      const source = app.source as Extract<AppSource, { kind: 'git' }>
      const account = deployKeyAccount(app.id)
      const oldPrivate = await vault.get(account)
      await vault.set(account, pair.privateKey)
      try {
        store.setSource(app.id, {
          ...source,
          deployKey: { publicKey: pair.publicKey, ...(githubKeyId !== undefined ? { githubKeyId } : {}) },
        })
      } catch (error) {
        await (oldPrivate === null ? vault.delete(account) : vault.set(account, oldPrivate))
        throw error
      }
      ctx.changed()
      return deployKeyInfo(previous)
    },
  }
}

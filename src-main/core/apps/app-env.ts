import type { EnvListing } from '../../api/apps'
import { resolveAppSpec } from '../deploy/app-spec'
import { UserError } from '../errors'
import { DEFAULT_MASK } from '../logs/secret-masker'
import { appSecretAccount } from '../vault/accounts'
import type { AppContext } from './app-context'

/** An app's env vars: plain values in the store, secret ones in the keychain, pending until a deploy. */
export function createAppEnv(ctx: AppContext) {
  const { store, vault } = ctx
  return {
    async setEnv(name: string, vars: { key: string; value: string }[], secret: boolean): Promise<void> {
      const app = ctx.get(name)
      const keys = new Set(vars.map((v) => v.key))
      const kept = store.env(app.id).filter((v) => !keys.has(v.key))
      // Validate the whole env as a deploy would see it, before anything is stored.
      resolveAppSpec({
        ...app.spec,
        name: app.name,
        env: [
          ...kept.map((v) => ({ key: v.key, value: v.value ?? '', secret: v.secret })),
          ...vars.map((v) => ({ ...v, secret })),
        ],
      })
      const wasSecret = new Set(
        store
          .env(app.id)
          .filter((v) => v.secret)
          .map((v) => v.key),
      )
      for (const v of vars) {
        const account = appSecretAccount(app.id, v.key)
        if (secret) await vault.set(account, v.value)
        else if (wasSecret.has(v.key)) await vault.delete(account)
      }
      store.setEnv(
        app.id,
        vars.map((v) => ({ ...v, secret })),
      )
      ctx.changed()
    },

    async unsetEnv(name: string, keys: string[]): Promise<void> {
      const app = ctx.get(name)
      const known = new Map(store.env(app.id).map((v) => [v.key, v]))
      const unknown = keys.filter((key) => !known.has(key))
      if (unknown.length > 0) {
        throw new UserError(
          'ENV_NOT_FOUND',
          `${app.name} has no variable ${unknown.join(', ')}.`,
          `See \`helvetia env list ${app.name}\`.`,
        )
      }
      for (const key of keys) {
        if (known.get(key)?.secret) await vault.delete(appSecretAccount(app.id, key))
      }
      store.unsetEnv(app.id, keys)
      ctx.changed()
    },

    listEnv(name: string): EnvListing {
      const app = ctx.get(name)
      return {
        vars: store
          .env(app.id)
          .map((v) => ({ key: v.key, value: v.secret ? DEFAULT_MASK : (v.value ?? ''), secret: v.secret })),
        pending: app.envPending,
      }
    },
  }
}

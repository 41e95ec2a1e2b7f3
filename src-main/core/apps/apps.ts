import type { AppSummary } from '../../api/apps'
import { resolveAppSpec } from '../deploy/app-spec'
import { fieldsAt } from '../errors'
import { applyChanges, assertDomainsFree, type AppChanges } from './app-changes'
import { createAppContext, type AppsDeps } from './app-context'
import { createAppCreation } from './app-creation'
import { createAppDeployKeys } from './app-deploy-keys'
import { createAppDeploys } from './app-deploys'
import { createAppEnv } from './app-env'
import { createAppRemoval } from './app-removal'
import { createAppStatus } from './app-status'

export type { AppStatus, AppSummary, CreateAppInput, EnvListing } from '../../api/apps'
export { deployKeyComment } from './app-creation'
export { forgetApp } from './app-removal'

/**
 * The apps service: each app on one server, its settings, env and deploy key on this computer, its
 * deployments on the server. One module a concern (creation, deploy key, env, deploys, status, removal),
 * sharing the look-ups of app-context.
 */
export function createApps(deps: AppsDeps) {
  const ctx = createAppContext(deps)
  const { store } = ctx
  return {
    list: (): AppSummary[] => store.list().map(ctx.summarize),

    /** The app named `name` as the API shows it, or APP_NOT_FOUND. */
    get: (name: string): AppSummary => ctx.summarize(ctx.get(name)),
    /** The app named `name`, or null. */
    find: (name: string): AppSummary | null => {
      const app = store.get(name)
      return app ? ctx.summarize(app) : null
    },

    /** The stored app named `name`, or APP_NOT_FOUND. */
    record: ctx.get,

    ...createAppCreation(ctx),
    ...createAppDeployKeys(ctx),

    /**
     * Changes the app's settings (and a git app's branch), validated as a whole with the rules of create,
     * all or nothing. They are pending until the next deploy; a change to what is stored already is none.
     */
    update(name: string, changes: AppChanges): AppSummary {
      const app = ctx.get(name)
      const { next, spec } = fieldsAt(
        () => {
          const next = applyChanges(app, changes)
          const spec = resolveAppSpec({ ...next.spec, name: app.name })
          assertDomainsFree(store.list(), app, spec.domains)
          return { next, spec }
        },
        (field) => `changes.${field}`,
      )
      const same =
        JSON.stringify(spec) === JSON.stringify(resolveAppSpec({ ...app.spec, name: app.name })) &&
        JSON.stringify(next.source) === JSON.stringify(app.source)
      if (same) return ctx.summarize(app)
      store.update(app.id, next.spec, next.source)
      ctx.changed()
      return ctx.summarize(ctx.get(name))
    },

    ...createAppRemoval(ctx),
    ...createAppEnv(ctx),
    ...createAppDeploys(ctx),
    ...createAppStatus(ctx),
  }
}

export type Apps = ReturnType<typeof createApps>

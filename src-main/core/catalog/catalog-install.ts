/**
 * Installing a catalogue app (`apps:create` with a catalog source): the template rendered for it, the
 * compose file written where its deploys send it from (secret values left `${NAME}` in it), the app
 * created as a compose app routed as the template says, its secret values put in the keychain as
 * secret env (never in the store in clear), and every value recorded on its server with the template
 * and version, so that an upgrade keeps them.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AppSummary, CreateAppInput } from '../../api/apps'
import type { Apps } from '../apps/apps'
import { forgetApp } from '../apps/apps'
import type { AppRecord, AppStore } from '../store/app-store'
import type { RelayTokens } from '../store/relay-tokens'
import type { Target } from '../targets/target'
import type { Vault } from '../vault/vault'
import type { Catalog } from './catalog'
import { CATALOG_COMPOSE_FILE, catalogAppFolder } from './catalog-folder'
import type { CatalogRecords } from './catalog-record'
import type { Rendering } from './render'

export interface CatalogAppsDeps {
  catalog: Catalog
  apps: Apps
  store: AppStore
  vault: Vault
  relayTokens: RelayTokens
  records: CatalogRecords
  home: string
  targetOf(app: AppRecord): Target
}

type CatalogSource = Extract<CreateAppInput['source'], { kind: 'catalog' }>

/** The values a server record keeps: every variable's, by name. */
export const valuesOf = (rendering: Rendering): Record<string, string> =>
  Object.fromEntries(rendering.values.map((v) => [v.name, v.value]))

export function createCatalogInstall(deps: CatalogAppsDeps) {
  const { catalog, apps, home } = deps

  /** Writes a version's rendered compose file and puts its secret values in the app's env (keychain). */
  const stage = async (app: AppRecord, version: string, rendering: Rendering): Promise<void> => {
    const folder = catalogAppFolder(home, app.id, version)
    mkdirSync(folder, { recursive: true })
    writeFileSync(join(folder, CATALOG_COMPOSE_FILE), rendering.compose('reference'))
    const secrets = rendering.values.filter((v) => v.secret).map((v) => ({ key: v.name, value: v.value }))
    if (secrets.length > 0) await apps.setEnv(app.name, secrets, true)
  }

  return {
    stage,

    async install(input: Omit<CreateAppInput, 'deployKey'> & { source: CatalogSource }): Promise<AppSummary> {
      const { template: id, version, values } = input.source
      const { template, rendering } = catalog.render({
        template: id,
        version,
        app: input.name,
        server: input.server,
        domain: input.domains?.[0],
        values,
      })
      const resolved = template.meta.version
      apps.create({
        ...input,
        domains: [],
        source: { kind: 'catalog', template: id, version: resolved },
        compose: { file: CATALOG_COMPOSE_FILE, routes: rendering.routes, zeroDowntime: [] },
      })
      const app = apps.record(input.name)
      try {
        await stage(app, resolved, rendering)
        const record = { template: id, version: resolved, values: valuesOf(rendering) }
        await deps.records.write(deps.targetOf(app), app.name, record)
      } catch (error) {
        // All or nothing: an app whose values could not be kept is not left half installed.
        await forgetApp(deps, app)
        throw error
      }
      return apps.get(app.name)
    },
  }
}

export type CatalogInstall = ReturnType<typeof createCatalogInstall>

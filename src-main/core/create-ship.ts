/**
 * The services of the core that ship any kind of app (issue #13): prebuilt images and registries,
 * compose stacks, build plans for sources without a Dockerfile, the catalogue, and process types and
 * scheduled jobs. createCore joins their handlers into the API.
 */
import type { ApiHandlers } from '../api/contract'
import { buildsApi } from './builds/builds-api'
import type { Apps } from './apps/apps'
import { createCatalog, type CatalogDeps } from './catalog/catalog'
import { catalogApi } from './catalog/catalog-api'
import { createCatalogInstall } from './catalog/catalog-install'
import { catalogRecords } from './catalog/catalog-record'
import { createCatalogUpgrades } from './catalog/catalog-upgrade'
import type { ScriptRunner } from './remote/script-runner'
import type { AppStore } from './store/app-store'
import type { RelayTokens } from './store/relay-tokens'
import type { ServerRecord } from './store/server-store'
import type { Target } from './targets/target'
import type { Vault } from './vault/vault'
import { registriesApi } from './images/registries-api'
import { createProcesses, type ProcessesDeps } from './processes/processes'
import { processesApi } from './processes/processes-api'
import { stacksApi, type StacksDeps } from './stacks/stacks-api'

export interface ShipDeps extends CatalogDeps {
  servers: CatalogDeps['servers'] & { targetFor(server: ServerRecord): Target }
  apps: Apps
  appStore: AppStore
  vault: Vault
  relayTokens: RelayTokens
  scripts: ScriptRunner
  prefix?: string
  processes: ProcessesDeps
  stacks: StacksDeps
}

export function createShip(deps: ShipDeps) {
  const catalog = createCatalog(deps)
  const processes = createProcesses(deps.processes)
  /** The app's server by name (SERVER_NOT_FOUND once removed). */
  const serverOf = (app: { name: string }) => deps.servers.get(deps.apps.get(app.name).server)
  const catalogApps = {
    catalog,
    apps: deps.apps,
    store: deps.appStore,
    vault: deps.vault,
    relayTokens: deps.relayTokens,
    records: catalogRecords({ scripts: deps.scripts, prefix: deps.prefix ?? 'helvetia' }),
    home: deps.home,
    targetOf: (app: { name: string }) => deps.servers.targetFor(serverOf(app)),
  }
  const install = createCatalogInstall(catalogApps)
  const upgrades = createCatalogUpgrades({ ...catalogApps, install, server: (app) => serverOf(app).name })
  const api = {
    ...registriesApi,
    ...stacksApi(deps.stacks),
    ...buildsApi,
    ...catalogApi(catalog, install, upgrades, deps.apps),
    ...processesApi(processes),
  } satisfies Partial<ApiHandlers>
  return { api, catalog }
}

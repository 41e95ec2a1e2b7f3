/**
 * The services of the core that ship any kind of app (issue #13): prebuilt images and registries,
 * compose stacks, build plans for sources without a Dockerfile, the catalogue, and process types and
 * scheduled jobs. createCore joins their handlers into the API.
 */
import type { ApiHandlers } from '../api/contract'
import { builderApi, type BuilderDeps } from './builds/builder-api'
import { buildsApi } from './builds/builds-api'
import { catalogApi } from './catalog/catalog-api'
import { createRegistries } from './images/registries'
import { registriesApi } from './images/registries-api'
import { processesApi } from './processes/processes-api'
import { stacksApi } from './stacks/stacks-api'
import type { Db } from './store/database'
import { createRegistryStore } from './store/registry-store'
import type { Vault } from './vault/vault'

/** What the services need from createCore's objects. */
export interface ShipDeps extends BuilderDeps {
  db: Db
  vault: Vault
}

export function createShip(deps: ShipDeps) {
  const registries = createRegistries({ store: createRegistryStore(deps.db), vault: deps.vault })
  const api = {
    ...registriesApi(registries),
    ...stacksApi,
    ...buildsApi,
    ...catalogApi,
    ...processesApi,
    ...builderApi(deps),
  } satisfies Partial<ApiHandlers>
  return { api, registries }
}

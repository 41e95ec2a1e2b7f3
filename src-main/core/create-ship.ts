/**
 * The services of the core that ship any kind of app (issue #13): prebuilt images and registries,
 * compose stacks, build plans for sources without a Dockerfile, the catalogue, and process types and
 * scheduled jobs. createCore joins their handlers into the API.
 */
import type { ApiHandlers } from '../api/contract'
import { buildsApi } from './builds/builds-api'
import { createCatalog, type CatalogDeps } from './catalog/catalog'
import { catalogApi } from './catalog/catalog-api'
import { registriesApi } from './images/registries-api'
import { createProcesses, type ProcessesDeps } from './processes/processes'
import { processesApi } from './processes/processes-api'
import { stacksApi } from './stacks/stacks-api'

export interface ShipDeps {
  catalog: CatalogDeps
  processes: ProcessesDeps
}

export function createShip(deps: ShipDeps) {
  const catalog = createCatalog(deps.catalog)
  const processes = createProcesses(deps.processes)
  const api = {
    ...registriesApi,
    ...stacksApi,
    ...buildsApi,
    ...catalogApi(catalog),
    ...processesApi(processes),
  } satisfies Partial<ApiHandlers>
  return { api, catalog }
}

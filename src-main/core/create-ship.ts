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
import { processesApi } from './processes/processes-api'
import { stacksApi } from './stacks/stacks-api'

export function createShip(deps: CatalogDeps) {
  const catalog = createCatalog(deps)
  const api = {
    ...registriesApi,
    ...stacksApi,
    ...buildsApi,
    ...catalogApi(catalog),
    ...processesApi,
  } satisfies Partial<ApiHandlers>
  return { api, catalog }
}

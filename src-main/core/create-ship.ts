/**
 * The services of the core that ship any kind of app (issue #13): prebuilt images and registries,
 * compose stacks, build plans for sources without a Dockerfile, the catalogue, and process types and
 * scheduled jobs. createCore joins their handlers into the API.
 */
import type { ApiHandlers } from '../api/contract'
import { createBuilds, type BuildsDeps } from './builds/builds'
import { buildsApi } from './builds/builds-api'
import { catalogApi } from './catalog/catalog-api'
import { registriesApi } from './images/registries-api'
import { processesApi } from './processes/processes-api'
import { stacksApi } from './stacks/stacks-api'

export interface ShipDeps {
  builds: BuildsDeps
}

export function createShip(deps: ShipDeps) {
  const builds = createBuilds(deps.builds)
  const api = {
    ...registriesApi,
    ...stacksApi,
    ...buildsApi(builds),
    ...catalogApi,
    ...processesApi,
  } satisfies Partial<ApiHandlers>
  return { api }
}

/**
 * The services of the core that ship any kind of app (issue #13): prebuilt images and registries,
 * compose stacks, build plans for sources without a Dockerfile, the catalogue, and process types and
 * scheduled jobs. createCore joins their handlers into the API.
 */
import type { ApiHandlers } from '../api/contract'
import { buildsApi } from './builds/builds-api'
import { catalogApi } from './catalog/catalog-api'
import { registriesApi } from './images/registries-api'
import { processesApi } from './processes/processes-api'
import { stacksApi, type StacksDeps } from './stacks/stacks-api'

export function createShip(deps: { stacks: StacksDeps }) {
  const api = {
    ...registriesApi,
    ...stacksApi(deps.stacks),
    ...buildsApi,
    ...catalogApi,
    ...processesApi,
  } satisfies Partial<ApiHandlers>
  return { api }
}

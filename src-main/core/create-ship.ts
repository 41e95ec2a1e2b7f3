/**
 * The services of the core that ship any kind of app (issue #13): prebuilt images and registries,
 * compose stacks, build plans for sources without a Dockerfile, the catalogue, and process types and
 * scheduled jobs. createCore joins their handlers into the API.
 */
import type { ApiHandlers } from '../api/contract'
import { builderApi, type BuilderDeps } from './builds/builder-api'
import { createBuilds, type BuildsDeps } from './builds/builds'
import { buildsApi } from './builds/builds-api'
import { catalogApi } from './catalog/catalog-api'
import type { Registries } from './images/registries'
import { registriesApi } from './images/registries-api'
import { createProcesses, type ProcessesDeps } from './processes/processes'
import { processesApi } from './processes/processes-api'
import { stacksApi, type StacksDeps } from './stacks/stacks-api'

/** What the services need from createCore's objects. */
export interface ShipDeps extends BuilderDeps {
  registries: Registries
  processes: ProcessesDeps
  builds: BuildsDeps
  stacks: StacksDeps
}

export function createShip(deps: ShipDeps) {
  const { registries } = deps
  const processes = createProcesses(deps.processes)
  const builds = createBuilds(deps.builds)
  const api = {
    ...registriesApi(registries),
    ...stacksApi(deps.stacks),
    ...buildsApi(builds),
    ...catalogApi,
    ...processesApi(processes),
    ...builderApi(deps),
  } satisfies Partial<ApiHandlers>
  return { api }
}

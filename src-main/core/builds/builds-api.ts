import type { ApiHandlers } from '../../api/contract'
import type { Builds } from './builds'

/** The builds service's handlers (api/builds.ts). */
export function buildsApi(builds: Builds) {
  return {
    'builds:plan': (input) => builds.plan(input),
  } satisfies Partial<ApiHandlers>
}

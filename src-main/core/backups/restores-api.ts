import type { ApiHandlers } from '../../api/contract'
import type { restoresContract } from '../../api/backups'
import type { Restores } from './restores'

/** The API's restore methods (src-main/api/backups.ts's restoresContract). */
export function restoresApi(restores: Restores): Pick<ApiHandlers, keyof typeof restoresContract> {
  return {
    'databases:drill': ({ name, backup }) => restores.drill(name, backup),
    'databases:restore': (input) => restores.restore(input),
  }
}

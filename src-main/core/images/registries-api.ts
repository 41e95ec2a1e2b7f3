/** The API's registry methods (src-main/api/images.ts's registriesContract). */
import type { ApiHandlers } from '../../api/contract'
import type { registriesContract } from '../../api/images'
import type { Registries } from './registries'

export function registriesApi(registries: Registries): Pick<ApiHandlers, keyof typeof registriesContract> {
  return {
    'registries:add': (input) => registries.add(input),
    'registries:list': async () => registries.list(),
    'registries:remove': ({ host }) => registries.remove(host),
  }
}

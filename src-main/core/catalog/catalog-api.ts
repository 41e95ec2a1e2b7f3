/** The catalogue's API handlers (api/catalog.ts). */
import type { ApiHandlers } from '../../api/contract'
import { UserError } from '../errors'
import type { Catalog } from './catalog'

/** Upgrades run catalogue apps as compose apps, which this build cannot deploy yet. */
const notYet = (): never => {
  throw new UserError('INVALID_OPTION', 'Upgrading catalogue apps is not built yet.', 'Update Helvetia.')
}

export function catalogApi(catalog: Catalog) {
  return {
    'catalog:list': async () => catalog.list(),
    'catalog:show': async ({ id, version }) => catalog.show(id, version),
    'catalog:render': async ({ reveal, ...input }) => {
      const { template, rendering } = catalog.render(input)
      return catalog.preview(template, rendering, reveal ?? false)
    },
    'catalog:import': ({ source, format, save }) => catalog.import(source, format, save),
    'catalog:remove': async ({ id }) => catalog.remove(id),
    'catalog:upgrade-plan': notYet,
    'catalog:upgrade': notYet,
  } satisfies Partial<ApiHandlers>
}

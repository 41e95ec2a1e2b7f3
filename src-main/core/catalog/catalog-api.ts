/** Not built yet: replaced by its own service in this round of work (issue #13). */
import type { ApiHandlers } from '../../api/contract'
import { UserError } from '../errors'

const notYet = (): never => {
  throw new UserError('INVALID_OPTION', 'Not built yet.', 'Update Helvetia.')
}

export const catalogApi = {
  'catalog:list': notYet,
  'catalog:show': notYet,
  'catalog:render': notYet,
  'catalog:import': notYet,
  'catalog:remove': notYet,
  'catalog:upgrade-plan': notYet,
  'catalog:upgrade': notYet,
} satisfies Partial<ApiHandlers>

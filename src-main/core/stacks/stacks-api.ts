/** Not built yet: replaced by its own service in this round of work (issue #13). */
import type { ApiHandlers } from '../../api/contract'
import { UserError } from '../errors'

const notYet = (): never => {
  throw new UserError('INVALID_OPTION', 'Not built yet.', 'Update Helvetia.')
}

export const stacksApi = {
  'stacks:services': notYet,
} satisfies Partial<ApiHandlers>

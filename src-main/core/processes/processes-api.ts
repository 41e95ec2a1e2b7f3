/** Not built yet: replaced by its own service in this round of work (issue #13). */
import type { ApiHandlers } from '../../api/contract'
import { UserError } from '../errors'

const notYet = (): never => {
  throw new UserError('INVALID_OPTION', 'Not built yet.', 'Update Helvetia.')
}

export const processesApi = {
  'processes:list': notYet,
  'jobs:add': notYet,
  'jobs:list': notYet,
  'jobs:remove': notYet,
  'jobs:runs': notYet,
  'jobs:run-log': notYet,
  'jobs:run': notYet,
} satisfies Partial<ApiHandlers>

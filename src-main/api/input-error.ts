import type { z } from 'zod'

/**
 * An input the method's schema refused (INVALID_INPUT), raised by the API host before any handler
 * runs. `field` is the path to the first wrong value (`changes.domains.1`); absent when the input as a
 * whole is wrong.
 */
export class InputError extends Error {
  override name = 'InputError'
  readonly code = 'INVALID_INPUT'
  constructor(
    message: string,
    readonly hint: string,
    readonly field: string | undefined,
  ) {
    super(message)
  }
}

export function inputError(method: string, error: z.ZodError): InputError {
  const [issue, ...more] = error.issues
  if (!issue) return new InputError(`Invalid input for ${method}.`, 'Check the input.', undefined)
  // A key the schema does not know is the field at fault, not the object holding it.
  const extra = issue.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : []
  const field = [...issue.path, ...extra].map(String).join('.') || undefined
  const where = field === undefined ? 'the input' : `"${field}"`
  const others = more.length === 0 ? '' : ` (and ${more.length} more)`
  const hint =
    extra.length > 0
      ? `Leave ${where} out: ${method} does not take it.`
      : `Give ${where} as ${method} takes it (its input schema is in src-main/api).`
  return new InputError(`Invalid input for ${method} at ${where}: ${issue.message}${others}`, hint, field)
}

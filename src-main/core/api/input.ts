/** API input arrives from outside the process: these check its shape before the core sees it. */

export function requireString(input: unknown, key: string): string {
  const value = field(input, key)
  if (typeof value !== 'string' || value === '') throw new TypeError(`Expected a non-empty string "${key}"`)
  return value
}

export function optionalString(input: unknown, key: string): string | undefined {
  const value = field(input, key)
  if (value === undefined) return undefined
  return requireString(input, key)
}

export function optionalInteger(input: unknown, key: string): number | undefined {
  const value = field(input, key)
  if (value === undefined) return undefined
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw new TypeError(`Expected a non-negative integer "${key}"`)
  }
  return value as number
}

export function optionalBoolean(input: unknown, key: string): boolean | undefined {
  const value = field(input, key)
  if (value === undefined || typeof value === 'boolean') return value
  throw new TypeError(`Expected a boolean "${key}"`)
}

export function stringArray(input: unknown, key: string): string[] {
  const value = field(input, key)
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new TypeError(`Expected an array of strings "${key}"`)
  }
  return value as string[]
}

/** A string, or null where the API lets a value be cleared. */
export function optionalNullableString(input: unknown, key: string): string | null | undefined {
  return field(input, key) === null ? null : optionalString(input, key)
}

/**
 * A nested object whose keys are all among `keys`: a misspelt key is refused rather than ignored, so a
 * change that would do nothing says so.
 */
export function optionalRecord(
  input: unknown,
  key: string,
  keys: readonly string[],
): Record<string, unknown> | undefined {
  const value = field(input, key)
  if (value === undefined) return undefined
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`Expected an object "${key}"`)
  }
  const unknown = Object.keys(value).filter((k) => !keys.includes(k))
  if (unknown.length > 0) throw new TypeError(`Unknown keys in "${key}": ${unknown.join(', ')}`)
  return value as Record<string, unknown>
}

function field(input: unknown, key: string): unknown {
  return typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[key] : undefined
}

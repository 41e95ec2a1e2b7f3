/**
 * Quoting for POSIX sh. Every value that reaches a remote or local shell goes through `quote` (or
 * the `sh` template, which quotes each interpolated value), after the caller has validated it.
 */

/** One shell word, single-quoted: nothing inside is interpreted by sh. */
export function quote(value: string | number): string {
  const text = String(value)
  if (text.includes('\0')) throw new TypeError('A shell argument cannot contain a NUL byte')
  return `'${text.replaceAll("'", `'\\''`)}'`
}

/** A command line whose interpolated values are each quoted as one word; arrays become several words. */
export function sh(
  strings: TemplateStringsArray,
  ...values: (string | number | readonly (string | number)[])[]
): string {
  return strings.reduce((line, part, i) => {
    if (i === 0) return part
    const value = values[i - 1] as string | number | readonly (string | number)[]
    const words = Array.isArray(value) ? value.map(quote).join(' ') : quote(value as string | number)
    return line + words + part
  }, '')
}

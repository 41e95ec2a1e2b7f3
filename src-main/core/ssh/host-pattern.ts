/**
 * OpenSSH's host patterns, shared by known_hosts and ssh_config: `*` matches any run of characters,
 * `?` exactly one, and a pattern list matches when one of its patterns does and none of its `!`
 * patterns does. Host names compare case-insensitively, as OpenSSH lowercases them.
 */

/** Whether `text` matches one glob `pattern` (`*` and `?` only). */
export function matchPattern(text: string, pattern: string): boolean {
  const t = text.toLowerCase()
  const p = pattern.toLowerCase()
  // Iterative glob with backtracking to the last `*`: linear in practice, no regex built from input.
  let ti = 0
  let pi = 0
  let starPi = -1
  let starTi = 0
  while (ti < t.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === t[ti])) {
      ti++
      pi++
    } else if (pi < p.length && p[pi] === '*') {
      starPi = pi++
      starTi = ti
    } else if (starPi >= 0) {
      pi = starPi + 1
      ti = ++starTi
    } else {
      return false
    }
  }
  while (p[pi] === '*') pi++
  return pi === p.length
}

/** Whether `text` matches a pattern list: some positive pattern matches and no `!` pattern does. */
export function matchPatternList(text: string, patterns: readonly string[]): boolean {
  let matched = false
  for (const pattern of patterns) {
    if (pattern.startsWith('!')) {
      if (matchPattern(text, pattern.slice(1))) return false
    } else if (matchPattern(text, pattern)) {
      matched = true
    }
  }
  return matched
}

/** Whether a pattern names one host rather than a family of them. */
export function isConcrete(pattern: string): boolean {
  return !/[*?!]/.test(pattern)
}

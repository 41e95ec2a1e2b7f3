/**
 * .gitignore and .dockerignore patterns, compiled to regular expressions over `/`-separated paths
 * relative to the folder the rules belong to.
 *
 * The two differ in where a pattern may match: a .gitignore pattern without a slash matches at any
 * depth (`*.log`, `node_modules`), one with a slash is anchored to its file's folder; a .dockerignore
 * pattern is always anchored to the build context. In both, the last matching rule wins, `!`
 * re-includes, and an excluded folder excludes everything in it.
 */

export interface IgnoreRule {
  regex: RegExp
  negated: boolean
  /** Matches folders only (a trailing `/` in .gitignore). */
  dirOnly: boolean
}

export function parseGitignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = []
  for (const raw of text.split(/\r?\n/)) {
    // Trailing spaces are dropped unless escaped; `#` starts a comment, `\#` is a literal.
    let line = raw.replace(/(?<!\\)\s+$/, '')
    if (line === '' || line.startsWith('#')) continue
    const negated = line.startsWith('!')
    if (negated) line = line.slice(1)
    if (line.startsWith('\\#') || line.startsWith('\\!')) line = line.slice(1)
    const dirOnly = line.endsWith('/')
    if (dirOnly) line = line.slice(0, -1)
    const anchored = line.includes('/')
    if (line.startsWith('/')) line = line.slice(1)
    if (line === '') continue
    rules.push({ regex: new RegExp(`^${anchored ? '' : '(?:.*/)?'}${globToRegex(line)}$`), negated, dirOnly })
  }
  return rules
}

export function parseDockerignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = []
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const negated = line.startsWith('!')
    if (negated) line = line.slice(1).trim()
    // Docker cleans each pattern like a path: no leading or trailing slash, no `.` segments.
    line = line
      .split('/')
      .filter((part) => part !== '' && part !== '.')
      .join('/')
    if (line === '') continue
    rules.push({ regex: new RegExp(`^${globToRegex(line)}$`), negated, dirOnly: false })
  }
  return rules
}

/** Whether the last rule matching `path` (a folder when `isDir`) excludes it; undefined when none matches. */
export function lastMatch(rules: readonly IgnoreRule[], path: string, isDir: boolean): boolean | undefined {
  let result: boolean | undefined
  for (const rule of rules) {
    if (rule.dirOnly && !isDir) continue
    if (rule.regex.test(path)) result = !rule.negated
  }
  return result
}

/** Docker's rule: a path is excluded when the last pattern matching it or any of its parents excludes. */
export function dockerignored(rules: readonly IgnoreRule[], path: string): boolean {
  const parts = path.split('/')
  let excluded = false
  for (const rule of rules) {
    for (let depth = 1; depth <= parts.length; depth++) {
      if (rule.regex.test(parts.slice(0, depth).join('/'))) {
        excluded = !rule.negated
        break
      }
    }
  }
  return excluded
}

/** `*`, `?`, `[...]` and `**` as in both files; everything else literal. */
function globToRegex(glob: string): string {
  let out = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const atStart = i === 0 || glob[i - 1] === '/'
        const atEnd = i + 2 === glob.length || glob[i + 2] === '/'
        if (atStart && atEnd) {
          // `**/` matches any number of folders, a final `**` everything below.
          out += i + 2 === glob.length ? '.*' : '(?:.*/)?'
          i += 2
          continue
        }
        i++
      }
      out += '[^/]*'
    } else if (c === '?') out += '[^/]'
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2)
      if (end === -1) out += '\\['
      else {
        const body = glob
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replaceAll('\\', '\\\\')
        out += `[${body}]`
        i = end
      }
    } else if (c === '\\' && i + 1 < glob.length) out += escape(glob[++i]!)
    else out += escape(c)
  }
  return out
}

function escape(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c
}

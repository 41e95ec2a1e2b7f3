// The lint rule that fails on an import cycle (eslint.config.js). Unlike eslint-plugin-import-x's
// no-cycle, it counts `import type` too: a cycle through types is still two modules that cannot be
// understood one without the other (servers.ts and apps.ts were one such).
import { readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import ts from 'typescript'

const EXTENSIONS = ['.ts', '.tsx', '.mjs', '.js']

/** Each file's relative imports, read again when the file changed on disk. */
const cache = new Map()

const isFile = (path) => {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/** The file a relative specifier names (with or without extension, `.js` for `.ts`, an index), or null. */
function resolveImport(from, specifier) {
  if (!specifier.startsWith('.')) return null
  const base = resolve(dirname(from), specifier)
  const stem = base.replace(/\.(js|mjs)$/, '')
  const candidates = [
    base,
    ...EXTENSIONS.map((ext) => stem + ext),
    ...EXTENSIONS.map((ext) => base + ext),
    ...EXTENSIONS.map((ext) => join(base, `index${ext}`)),
  ]
  return candidates.find(isFile) ?? null
}

/** Every import, export-from, require and import() of `text`, type-only ones included. */
function importsOf(file, text) {
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((entry) => ({ ...entry, target: resolveImport(file, entry.fileName) }))
    .filter((entry) => entry.target !== null)
}

function importsOnDisk(file) {
  const { mtimeMs } = statSync(file)
  const cached = cache.get(file)
  if (cached?.mtimeMs === mtimeMs) return cached.targets
  const targets = [...new Set(importsOf(file, readFileSync(file, 'utf8')).map((entry) => entry.target))]
  cache.set(file, { mtimeMs, targets })
  return targets
}

/** The shortest import path from `start` back to `file`, or null. */
function pathBack(start, file) {
  const previous = new Map([[start, null]])
  const queue = [start]
  while (queue.length > 0) {
    const current = queue.shift()
    for (const next of importsOnDisk(current)) {
      if (next === file) {
        const path = [current]
        for (let at = previous.get(current); at !== null; at = previous.get(at)) path.unshift(at)
        return path
      }
      if (!previous.has(next)) {
        previous.set(next, current)
        queue.push(next)
      }
    }
  }
  return null
}

export const noImportCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbids import cycles, type-only imports included.' },
    schema: [],
  },
  create(context) {
    return {
      Program() {
        const file = resolve(context.cwd, context.filename)
        const source = context.sourceCode
        const seen = new Set()
        for (const entry of importsOf(file, source.text)) {
          if (seen.has(entry.target) || entry.target === file) continue
          seen.add(entry.target)
          const back = pathBack(entry.target, file)
          if (!back) continue
          const names = [file, ...back, file].map((path) => relative(context.cwd, path))
          context.report({
            loc: { start: source.getLocFromIndex(entry.pos), end: source.getLocFromIndex(entry.end) },
            message: `Import cycle: ${names.join(' → ')}. Move what both sides need into a module of its own, or pass it in.`,
          })
        }
      },
    }
  },
}

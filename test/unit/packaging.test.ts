/**
 * The packaged desktop app holds what the core reads at run time: every path the core resolves from
 * the app root (found in its source, not listed by hand) is matched by electron-builder.yml's `files`.
 * electron-builder itself cannot package here (it needs the Electron binary), so its config is read
 * with js-yaml, the parser electron-builder reads it with, and matched with minimatch, as it does.
 */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative } from 'node:path'
import { test } from 'node:test'
import { minimatch } from 'minimatch'
import { APP_ROOT } from '../support/temp-home'

const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown }

export interface BuilderConfig {
  files: string[]
  directories: { buildResources: string }
  [key: string]: unknown
}

export const builderConfig = (): BuilderConfig =>
  yaml.load(readFileSync(join(APP_ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig

/** The files below `dir` (relative to the app root, `/`-separated), or `dir` itself when a file. */
function filesOf(path: string): string[] {
  const full = join(APP_ROOT, path)
  if (!statSync(full).isDirectory()) return [path]
  return readdirSync(full, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(APP_ROOT, join(entry.parentPath, entry.name)).split('\\').join('/'))
}

/** Whether electron-builder packs `file`: the last of `patterns` that matches decides (`!` excludes). */
function packed(patterns: string[], file: string): boolean {
  let included = false
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!')
    if (minimatch(file, negated ? pattern.slice(1) : pattern, { dot: true })) included = !negated
  }
  return included
}

/** Every path the core and the Electron glue resolve from the app root: `join(appRoot, 'NAME')`. */
function appRootPaths(): string[] {
  const found = new Set<string>()
  for (const dir of ['src-main/core', 'src-main/electron']) {
    for (const file of readdirSync(join(APP_ROOT, dir), { recursive: true }) as string[]) {
      if (!file.endsWith('.ts')) continue
      const text = readFileSync(join(APP_ROOT, dir, file), 'utf8')
      for (const match of text.matchAll(/join\(\s*appRoot\s*,\s*'([^']+)'/g)) found.add(match[1] as string)
    }
  }
  return [...found].sort()
}

test('every folder and file the core reads from the app root is packaged', () => {
  const paths = appRootPaths()
  // What the source resolves today; a new one is found the same way and must be packaged too.
  for (const known of ['package.json', 'relay', 'remote-scripts']) assert.ok(paths.includes(known), known)
  const { files } = builderConfig()
  for (const path of paths) {
    const missing = filesOf(path).filter((file) => !packed(files, file))
    assert.deepEqual(missing, [], `${path}: not in electron-builder.yml's files`)
  }
})

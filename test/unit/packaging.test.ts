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

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** A PNG's width and height (its IHDR chunk), after checking the signature. */
function pngSize(data: Buffer): [number, number] {
  assert.ok(data.subarray(0, 8).equals(PNG_SIGNATURE), 'a PNG signature')
  assert.equal(data.toString('latin1', 12, 16), 'IHDR')
  return [data.readUInt32BE(16), data.readUInt32BE(20)]
}

test('the app has its own icons (PNG 512×512, ICO, ICNS) and a desktop entry, and the config names them', () => {
  const config = builderConfig() as BuilderConfig & {
    linux: { icon: string; desktop: { entry: Record<string, string> } }
    mac: { icon: string }
    win: { icon: string }
  }
  assert.equal(config.directories.buildResources, 'resources')
  assert.deepEqual(
    [config.linux?.icon, config.mac?.icon, config.win?.icon],
    ['resources/icon.png', 'resources/icon.icns', 'resources/icon.ico'],
    'electron-builder.yml names the icons',
  )
  const read = (path: string) => readFileSync(join(APP_ROOT, path))

  assert.deepEqual(pngSize(read(config.linux.icon)), [512, 512])

  const ico = read(config.win.icon)
  assert.deepEqual([ico.readUInt16LE(0), ico.readUInt16LE(2)], [0, 1], 'ICO reserved 0, type 1 (icon)')
  const icoSizes: number[] = []
  for (let i = 0; i < ico.readUInt16LE(4); i++) {
    const entry = 6 + 16 * i
    const [length, offset] = [ico.readUInt32LE(entry + 8), ico.readUInt32LE(entry + 12)]
    assert.ok(offset + length <= ico.length, 'an ICO image inside the file')
    const [width, height] = pngSize(ico.subarray(offset, offset + length))
    assert.equal(width, ico.readUInt8(entry) || 256)
    assert.equal(height, ico.readUInt8(entry + 1) || 256)
    icoSizes.push(width)
  }
  assert.ok(icoSizes.includes(16) && icoSizes.includes(256), `ICO sizes ${icoSizes.join(', ')}`)

  const icns = read(config.mac.icon)
  assert.equal(icns.toString('latin1', 0, 4), 'icns')
  assert.equal(icns.readUInt32BE(4), icns.length)
  const icnsTypes: string[] = []
  for (let at = 8; at < icns.length;) {
    const length = icns.readUInt32BE(at + 4)
    assert.ok(length > 8 && at + length <= icns.length, 'an ICNS block inside the file')
    const type = icns.toString('latin1', at, at + 4)
    const [width] = pngSize(icns.subarray(at + 8, at + length))
    if (type === 'ic09') assert.equal(width, 512)
    icnsTypes.push(type)
    at += length
  }
  assert.ok(icnsTypes.includes('ic09') && icnsTypes.includes('ic10'), `ICNS types ${icnsTypes.join(', ')}`)

  const entry = config.linux.desktop.entry
  assert.equal(entry.Name, 'Helvetia')
  assert.equal(entry.StartupWMClass, 'Helvetia')
  assert.match(entry.Categories ?? '', /^(\w+;)+$/)
})

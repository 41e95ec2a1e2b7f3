// The layout rules of README's "Layout": no import cycles, no function or file over its size limit,
// and a line in the README for every folder. The lint rules live in eslint.config.js; this shows each
// fails on a violation, and checks what ESLint does not read (scripts, the relay, CSS, the README).
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { test } from 'node:test'
import { ESLint } from 'eslint'
import { MAX_FILE_LINES, MAX_FUNCTION_LINES } from '../../eslint.config.js'

const eslint = new ESLint()

async function ruleErrors(filePath: string, code: string, rule: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return (result?.messages ?? []).filter((m) => m.ruleId === rule).map((m) => m.message)
}

const lines = (count: number, line: (i: number) => string) =>
  Array.from({ length: count }, (_, i) => line(i)).join('\n')

/** A function of `count` counted lines (its braces included), padded with blank lines and comments. */
const functionOf = (count: number) =>
  `export function big(): number {\n  let x = 0\n${lines(count - 4, () => '  x += 1\n\n  // why')}\n  return x\n}\n`

test('an import cycle fails lint, a type-only one included', async () => {
  // errors.ts is imported by the apps service, so importing the apps service from it closes a cycle.
  for (const code of [
    "import { createApps } from './apps/apps'\nexport const a = createApps\n",
    "import type { Apps } from './apps/apps'\nexport type A = Apps\n",
  ]) {
    const errors = await ruleErrors('src-main/core/errors.ts', code, 'helvetia/no-import-cycle')
    assert.equal(errors.length, 1, code)
    assert.match(
      errors[0] ?? '',
      /^Import cycle: src-main\/core\/errors\.ts → src-main\/core\/apps\/apps\.ts → (.* → )?src-main\/core\/errors\.ts\./,
    )
  }
  const fine = "import { createApps } from './apps/apps'\nexport const a = createApps\n"
  assert.deepEqual(await ruleErrors('src-main/core/fresh.ts', fine, 'helvetia/no-import-cycle'), [])
})

test(`a function over ${MAX_FUNCTION_LINES} lines fails lint; blank lines and comments do not count`, async () => {
  for (const file of ['src-main/core/big.ts', 'src-renderer/src/big.ts']) {
    assert.deepEqual(await ruleErrors(file, functionOf(MAX_FUNCTION_LINES), 'max-lines-per-function'), [])
    const errors = await ruleErrors(file, functionOf(MAX_FUNCTION_LINES + 1), 'max-lines-per-function')
    assert.equal(errors.length, 1, file)
  }
})

test(`a source file over ${MAX_FILE_LINES} lines fails lint; blank lines do not count, comments do`, async () => {
  const file = (count: number) => `${lines(count / 2, (i) => `// why\nexport const a${i} = ${i}\n`)}\n`
  assert.deepEqual(await ruleErrors('src-main/core/big.ts', file(MAX_FILE_LINES), 'max-lines'), [])
  for (const path of ['src-main/core/big.ts', 'src-renderer/src/big.tsx', 'src-preload/big.ts']) {
    assert.equal((await ruleErrors(path, file(MAX_FILE_LINES + 2), 'max-lines')).length, 1, path)
  }
})

test('a look-up by scanning list() fails lint in the core', async () => {
  const scan =
    'export const f = (apps: { list(): { name: string }[] }) => apps.list().find((a) => a.name === "x")\n'
  const errors = await ruleErrors('src-main/core/scan.ts', scan, 'no-restricted-syntax')
  assert.equal(errors.length, 1)
  assert.match(errors[0] ?? '', /query function/)
})

const tracked = (...paths: string[]) =>
  execFileSync('git', ['ls-files', '--', ...paths], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)

/** Lines that are not blank: a file is read with its comments, as max-lines counts it in eslint.config.js. */
const nonBlankLines = (text: string): number => text.split('\n').filter((line) => line.trim() !== '').length

/** Tracked files under `paths` (other than `except`) with a line matching `pattern`, as file:line. */
function spelledOutside(paths: string[], except: RegExp, pattern: RegExp): string[] {
  const hits: string[] = []
  for (const file of tracked(...paths).filter((f) => !except.test(f) && /\.(ts|tsx|mjs)$/.test(f))) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => pattern.test(line) && hits.push(`${file}:${i + 1}`))
  }
  return hits
}

/** SQL: a prepared statement or a statement's keywords. */
const SQL = /\.prepare\(|\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|CREATE TABLE)\b/
/** A keychain account name as accounts.ts spells them. */
const ACCOUNT = /[`'"](server|app|relay|database|backup-target):\$\{|[`'"]github:token/

test('SQL is written only in src-main/core/store, keychain accounts only in core/vault/accounts.ts', () => {
  assert.ok(SQL.test("db.prepare('SELECT * FROM apps')") && SQL.test('`DELETE FROM apps WHERE id = ?`'))
  assert.ok(ACCOUNT.test('`app:${appId}:deploy-key`') && ACCOUNT.test("'github:token'"))
  assert.ok(!ACCOUNT.test('id: `new-app:${server.name}`'))
  assert.deepEqual(
    // The engine table holds the queries a database engine answers (its readiness check), not the store's.
    spelledOutside(['src-main'], /^src-main\/core\/(store\/|databases\/engines\.ts$)/, SQL),
    [],
    'move it into core/store',
  )
  assert.deepEqual(
    spelledOutside(['src-main'], /^src-main\/core\/vault\/accounts\.ts$/, ACCOUNT),
    [],
    'name the account in core/vault/accounts.ts',
  )
})

/** Files of a kind ESLint does not size, over the limit, with their counted lines. */
function oversized(files: string[]): Map<string, number> {
  const over = new Map<string, number>()
  for (const file of files) {
    const count = nonBlankLines(readFileSync(file, 'utf8'))
    if (count > MAX_FILE_LINES) over.set(file, count)
  }
  return over
}

test(`no server script, relay file or stylesheet is over ${MAX_FILE_LINES} lines`, () => {
  const files = tracked('remote-scripts/*.sh', 'relay/*.js', '*.css')
  assert.ok(files.some((f) => f.endsWith('.sh')) && files.some((f) => f.endsWith('.css')))
  const over = [...oversized(files)]
  assert.deepEqual(over, [], 'split these by concept (README, "Layout")')
})

/** The folders README's "Layout" table names, each with its one line. */
function layoutRows(): Map<string, string> {
  const readme = readFileSync('README.md', 'utf8')
  const section = readme.slice(readme.indexOf('\n## Layout\n')).split(/\n## /)[1] ?? ''
  const rows = new Map<string, string>()
  for (const [, folder, text] of section.matchAll(/^\| `([^`]+)` \| (.+) \|$/gm)) {
    rows.set(folder as string, text as string)
  }
  return rows
}

test("README's layout section gives every folder one line, and names no folder that is gone", () => {
  const roots = ['src-main', 'src-preload', 'src-renderer', 'remote-scripts', 'relay', 'resources', 'test']
  const folders = new Set<string>(roots)
  for (const file of tracked(...roots)) {
    for (let dir = dirname(file); dir !== '.'; dir = dirname(dir)) folders.add(dir)
  }
  const rows = layoutRows()
  // A `dir/*` row covers every folder below dir (data laid out by name, like the catalogue's templates).
  const covered = (folder: string) =>
    rows.has(folder) ||
    [...rows.keys()].some((row) => row.endsWith('/*') && folder.startsWith(row.slice(0, -1)))
  assert.deepEqual(
    [...folders].filter((folder) => !covered(folder)).sort(),
    [],
    'add a line for each to README "Layout"',
  )
  assert.deepEqual(
    [...rows.keys()].filter((row) => !folders.has(row.replace(/\/\*$/, ''))),
    [],
    'these folders are gone: drop their lines',
  )
})

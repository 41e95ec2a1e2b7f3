/**
 * The API's error catalogue (src-main/api/errors.ts) is complete and the README's list is its copy:
 * every code the source raises is in it, every code in it is raised somewhere (the core or a server
 * script), and the README's
 * "API errors" table is what the catalogue makes now.
 */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { contract } from '../../src-main/api/contract'
import { API_ERRORS } from '../../src-main/api/errors'
import { README, withApiErrors } from '../../src-main/tooling/api-errors-readme'

const SRC = fileURLToPath(new URL('../../src-main', import.meta.url))

/** Every .ts file of src-main, with its text. */
function sources(): { path: string; text: string }[] {
  return readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.ts'))
    .map((path) => ({ path, text: readFileSync(join(SRC, path), 'utf8') }))
}

/** Every server script's text: a script raises a code with `fail CODE 'message'`. */
function scriptSources(): string {
  const dir = fileURLToPath(new URL('../../remote-scripts', import.meta.url))
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.sh'))
    .map((path) => readFileSync(join(dir, path), 'utf8'))
    .join('\n')
}

/**
 * Codes raised in the source: `new UserError('CODE', …)` anywhere, the API's own (`code = 'CODE'` in
 * src-main/api) and the this-computer gate's table.
 */
function raisedCodes(): Map<string, string> {
  const codes = new Map<string, string>()
  for (const { path, text } of sources()) {
    const patterns = [/new UserError\(\s*'([A-Z][A-Z0-9_]*)'/g]
    if (path.startsWith('api/')) patterns.push(/\bcode(?: =|:) '([A-Z][A-Z0-9_]*)'/g)
    if (path.endsWith('this-computer.ts')) patterns.push(/\['(LOCAL_[A-Z_]+)'/g)
    for (const pattern of patterns)
      for (const match of text.matchAll(pattern)) codes.set(match[1] as string, path)
  }
  return codes
}

test('every error code raised in src-main is in the catalogue', () => {
  const raised = raisedCodes()
  assert.ok(raised.size > 50, `found only ${raised.size} codes: the scan is broken`)
  const missing = [...raised]
    .filter(([code]) => !(code in API_ERRORS))
    .map(([code, path]) => `${code} (${path})`)
  assert.deepEqual(missing, [], 'add these to src-main/api/errors.ts')
})

test('every code in the catalogue is raised somewhere, by methods of the contract', () => {
  const all = sources()
    .filter(({ path }) => !path.endsWith('api/errors.ts'))
    .map(({ text }) => text)
    .join('\n')
  const scripts = scriptSources()
  for (const [code, info] of Object.entries(API_ERRORS)) {
    const raised = all.includes(`'${code}'`) || scripts.includes(`fail ${code} `)
    assert.ok(raised, `${code} is raised nowhere: remove it from the catalogue`)
    for (const by of info.raisedBy) {
      assert.ok(!by.includes(':') || by in contract, `${code}: ${by} is not a method`)
    }
  }
})

test('the README lists the errors as the catalogue has them', () => {
  const readme = readFileSync(README, 'utf8')
  assert.equal(
    readme,
    withApiErrors(readme),
    'README.md is stale: run `node --import tsx src-main/tooling/api-errors-readme.ts`',
  )
})

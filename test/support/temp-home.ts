import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { fileURLToPath } from 'node:url'

/** The checkout under test: what the core gets as its app root. */
export const APP_ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** A fresh data folder for one test, removed after it. */
export function tempHome(t: TestContext): string {
  const home = mkdtempSync(join(tmpdir(), 'helvetia-test-'))
  t.after(() => rmSync(home, { recursive: true, force: true }))
  return home
}

/**
 * The `helvetia` command runs the bundle `npm run build` makes (out/cli/main.js), not the TypeScript
 * sources: played in a copy of the layout, where bin.mjs finds no bundle, then a stand-in for one.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

const BIN = fileURLToPath(new URL('../../src-main/cli/bin.mjs', import.meta.url))

test('helvetia runs out/cli/main.js, and without it says to build', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'helvetia-cli-bundle-'))
  t.after(() => rmSync(root, { recursive: true, force: true }))
  const bin = join(root, 'src-main', 'cli', 'bin.mjs')
  mkdirSync(join(root, 'src-main', 'cli'), { recursive: true })
  copyFileSync(BIN, bin)
  const run = () => spawnSync(process.execPath, [bin, 'app', 'list'], { encoding: 'utf8' })

  const missing = run()
  assert.equal(missing.status, 1)
  assert.equal(
    missing.stderr,
    `helvetia: the CLI is not built (no ${join(root, 'out', 'cli', 'main.js')}). Run \`npm run build\` in ${root}/.\n`,
  )

  mkdirSync(join(root, 'out', 'cli'), { recursive: true })
  writeFileSync(
    join(root, 'out', 'cli', 'main.js'),
    'console.log(`bundle: ${process.argv.slice(2).join(" ")}`)\n',
  )
  const built = run()
  assert.equal(built.stderr, '')
  assert.equal(built.stdout, 'bundle: app list\n')
})

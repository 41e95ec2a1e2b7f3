/**
 * The script bundle on the test server: uploaded once per version into the user's home, safely even
 * when several runs of a new version start at once.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { createProvisioner } from '../../src-main/core/provision/provision'
import { loadScriptBundle } from '../../src-main/core/remote/script-bundle'
import { SCRIPTS_FOLDER, ScriptRunner } from '../../src-main/core/remote/script-runner'
import { sh } from '../../src-main/core/shell/quote'
import type { Target } from '../../src-main/core/targets/target'
import { provisionTestbed } from './provision-support'

test('a new script version is uploaded once, whole, even by concurrent runs', async (t) => {
  const bed = provisionTestbed(t)
  if (!bed) return
  // The app's scripts plus one file of our own: a version no other test has uploaded.
  const scriptsDir = mkdtempSync(join(tmpdir(), 'helvetia-scripts-'))
  t.after(() => rmSync(scriptsDir, { recursive: true, force: true }))
  cpSync(fileURLToPath(new URL('../../remote-scripts', import.meta.url)), scriptsDir, { recursive: true })
  writeFileSync(join(scriptsDir, 'version.sh'), `#!/bin/sh\n# ${randomBytes(8).toString('hex')}\n`)
  const { hash, files } = await loadScriptBundle(scriptsDir)
  const folder = `${SCRIPTS_FOLDER}/${hash}`
  bed.cleanup(sh`rm -rf "$HOME"/${folder}`)

  const commands: string[] = []
  const counting: Target = {
    kind: bed.target.kind,
    exec: (c, o) => (commands.push(c), bed.target.exec(c, o)),
  }
  const provisioner = createProvisioner({ scripts: new ScriptRunner({ scriptsDir }) })
  const all = await Promise.all(Array.from({ length: 5 }, () => provisioner.readFacts(counting)))
  for (const facts of all) assert.deepEqual({ ...facts, diskFreeBytes: 0 }, { ...all[0], diskFreeBytes: 0 })
  assert.equal(commands.length, 15, 'each run: try, upload, run')

  const listing = await bed.run(sh`cd "$HOME"/${folder} && find . -type f | sort && stat -c %a . lib`)
  assert.deepEqual(listing.trim().split('\n'), [
    './.complete',
    ...files.map((file) => `./${file.path}`).sort(),
    '700',
    '700',
  ])

  commands.length = 0
  await provisioner.readFacts(counting)
  assert.equal(commands.length, 1, 'uploaded versions run in one round trip')
})

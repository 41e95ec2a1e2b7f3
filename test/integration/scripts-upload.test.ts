/**
 * The script bundle on the test server: uploaded once per version into ~/.PREFIX/scripts, safely even
 * when several runs of a new version start at once; scripts of another protocol are never mixed with.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { createProvisioner } from '../../src-main/core/provision/provision'
import { loadScriptBundle, PROTOCOL_VERSION } from '../../src-main/core/remote/script-bundle'
import { scriptsFolder, ScriptRunner, type ScriptEvent } from '../../src-main/core/remote/script-runner'
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
  const folder = `${scriptsFolder(bed.prefix)}/${hash}`

  const commands: string[] = []
  const counting: Target = {
    kind: bed.target.kind,
    exec: (c, o) => (commands.push(c), bed.target.exec(c, o)),
  }
  const provisioner = createProvisioner({ scripts: new ScriptRunner({ scriptsDir, prefix: bed.prefix }) })
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

test('on the server, older scripts are updated and newer ones refused with both versions named', async (t) => {
  const bed = provisionTestbed(t)
  if (!bed) return
  const scriptsDir = fileURLToPath(new URL('../../remote-scripts', import.meta.url))
  const runner = (protocol: number) => new ScriptRunner({ scriptsDir, prefix: bed.prefix, protocol })
  const installed = async () =>
    (
      await bed.run(sh`cat "$HOME"/${`${scriptsFolder(bed.prefix)}/protocol`} 2>/dev/null || echo none`)
    ).trim()

  // An older Helvetia's scripts are on the server (protocol 0: from before versions, which wrote no
  // protocol file): this one's replace them and say so.
  await createProvisioner({ scripts: runner(PROTOCOL_VERSION - 1) }).readFacts(bed.target)
  assert.equal(await installed(), PROTOCOL_VERSION - 1 === 0 ? 'none' : String(PROTOCOL_VERSION - 1))
  const events: ScriptEvent[] = []
  await runner(PROTOCOL_VERSION).run(bed.target, 'facts.sh', {
    args: ['--prefix', bed.prefix],
    onEvent: (event) => events.push(event),
  })
  assert.deepEqual(
    events.filter((e) => e.type === 'step' && e.step === 'scripts').map((e) => e.type === 'step' && e.status),
    ['running', 'done'],
  )
  assert.equal(await installed(), String(PROTOCOL_VERSION))

  // A newer Helvetia updated them since: this one refuses, naming both versions.
  await createProvisioner({ scripts: runner(PROTOCOL_VERSION + 1) }).readFacts(bed.target)
  await assert.rejects(createProvisioner({ scripts: runner(PROTOCOL_VERSION) }).readFacts(bed.target), {
    code: 'SCRIPTS_PROTOCOL_NEWER',
    message: new RegExp(`protocol ${PROTOCOL_VERSION + 1},.* protocol ${PROTOCOL_VERSION}\\.`),
  })
  assert.equal(await installed(), String(PROTOCOL_VERSION + 1))
})

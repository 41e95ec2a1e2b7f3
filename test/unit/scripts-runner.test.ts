import assert from 'node:assert/strict'
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { UserError } from '../../src-main/core/errors'
import { loadScriptBundle, PROTOCOL_VERSION } from '../../src-main/core/remote/script-bundle'
import { scriptsFolder, ScriptRunner, type ScriptEvent } from '../../src-main/core/remote/script-runner'
import { LocalTarget } from '../../src-main/core/targets/local-target'
import type { Target } from '../../src-main/core/targets/target'

const SCRIPTS_FOLDER = scriptsFolder('helvetia')
const REAL_SCRIPTS = fileURLToPath(new URL('../../remote-scripts', import.meta.url))

const FIXTURES: Record<string, string> = {
  // Writes each argument NUL-terminated, so the test sees exactly what arrived.
  'args.sh': `#!/bin/sh\nset -eu\nfor a in "$@"; do printf '%s\\0' "$a"; done > "$HOME/args"\necho "got $# arguments"\n`,
  'stdin.sh': `#!/bin/sh\nset -eu\nprintf '::helvetia:: fact input=%s\\n' "$(cat)"\n`,
  'steps.sh': [
    '#!/bin/sh',
    'set -eu',
    '# shellcheck source=lib/progress.sh',
    '. "$(dirname "$0")/lib/progress.sh"',
    'step_running one "First step"',
    'echo "human output"',
    'echo "a warning" >&2',
    'fact colour blue',
    'fact colour green',
    'step_done one "First step done"',
    'changed 1',
    '',
  ].join('\n'),
  'fails.sh': [
    '#!/bin/sh',
    'set -eu',
    '. "$(dirname "$0")/lib/progress.sh"',
    'step_running ports "Checking ports"',
    'fail PORT_TAKEN "Port 80 is already in use" "Choose another port with --http-port."',
    '',
  ].join('\n'),
  'breaks.sh': [
    '#!/bin/sh',
    'set -eu',
    '. "$(dirname "$0")/lib/progress.sh"',
    'step_running boom "Exploding"',
    'false',
    '',
  ].join('\n'),
  'plain-exit.sh': '#!/bin/sh\necho "something broke" >&2\nexit 4\n',
}

/** A scripts folder with the fixtures and the real lib/progress.sh, and a home folder for the target. */
function setup(t: { after: (fn: () => void) => void }) {
  const root = mkdtempSync(join(tmpdir(), 'helvetia-runner-'))
  t.after(() => rmSync(root, { recursive: true, force: true }))
  const scriptsDir = join(root, 'scripts')
  const home = join(root, 'home')
  mkdirSync(join(scriptsDir, 'lib'), { recursive: true })
  mkdirSync(home)
  copyFileSync(join(REAL_SCRIPTS, 'lib/progress.sh'), join(scriptsDir, 'lib/progress.sh'))
  for (const [name, content] of Object.entries(FIXTURES)) writeFileSync(join(scriptsDir, name), content)
  const local = new LocalTarget({ env: { PATH: process.env.PATH, HOME: home } })
  const commands: string[] = []
  const target: Target = {
    kind: 'local',
    exec: (command, options) => (commands.push(command), local.exec(command, options)),
  }
  return { scriptsDir, home, target, commands, runner: new ScriptRunner({ scriptsDir }) }
}

test('the first run uploads the bundle (3 round trips), later runs take 1', async (t) => {
  const { scriptsDir, home, target, commands, runner } = setup(t)
  await runner.run(target, 'args.sh')
  assert.equal(commands.length, 3)
  commands.length = 0
  await runner.run(target, 'args.sh')
  await runner.run(target, 'stdin.sh', { stdin: 'x' })
  assert.equal(commands.length, 2)

  const { hash, files } = await loadScriptBundle(scriptsDir)
  const dir = join(home, SCRIPTS_FOLDER, hash)
  assert.deepEqual(
    readdirSync(dir, { recursive: true }).sort(),
    ['.complete', ...files.map((file) => file.path), 'lib'].sort(),
  )
  assert.equal(statSync(dir).mode & 0o777, 0o700)
  for (const file of files) {
    assert.equal(statSync(join(dir, file.path)).mode & 0o777, 0o700, file.path)
    assert.equal(readFileSync(join(dir, file.path), 'utf8'), file.content)
  }
})

test('a runner reads the bundle once: a script changed afterwards is a new version for the next runner', async (t) => {
  const { scriptsDir, home, target, commands, runner } = setup(t)
  await runner.run(target, 'args.sh')
  writeFileSync(join(scriptsDir, 'args.sh'), `${FIXTURES['args.sh']}# v2\n`)
  commands.length = 0
  await runner.run(target, 'args.sh')
  assert.equal(commands.length, 1, 'the same runner runs the version it read')
  assert.equal(readdirSync(join(home, SCRIPTS_FOLDER)).length, 2, 'one bundle and the protocol file')

  await new ScriptRunner({ scriptsDir }).run(target, 'args.sh')
  assert.equal(commands.length, 4)
  assert.equal(readdirSync(join(home, SCRIPTS_FOLDER)).length, 3, 'the new version beside the old one')
})

test('the scripts live in the folder of the prefix', async (t) => {
  const { scriptsDir, home, target } = setup(t)
  await new ScriptRunner({ scriptsDir, prefix: 'other-install' }).run(target, 'args.sh')
  const { hash } = await loadScriptBundle(scriptsDir)
  assert.deepEqual(readdirSync(join(home, '.other-install/scripts')).sort(), [hash, 'protocol'])
  assert.equal(readFileSync(join(home, '.other-install/scripts/protocol'), 'utf8'), `${PROTOCOL_VERSION}\n`)
  assert.deepEqual(readdirSync(home).sort(), ['.other-install', 'args'])
})

test('scripts of an older protocol are updated, and the update is reported', async (t) => {
  const { scriptsDir, home, target } = setup(t)
  await new ScriptRunner({ scriptsDir, protocol: 7 }).run(target, 'args.sh')
  const events: ScriptEvent[] = []
  await new ScriptRunner({ scriptsDir, protocol: 8 }).run(target, 'steps.sh', {
    onEvent: (e) => events.push(e),
  })
  const message = "Updating Helvetia's scripts on the server from protocol 7 to 8"
  assert.deepEqual(events.slice(0, 2), [
    { type: 'step', step: 'scripts', status: 'running', code: null, message },
    { type: 'step', step: 'scripts', status: 'done', code: null, message },
  ])
  assert.equal(readFileSync(join(home, SCRIPTS_FOLDER, 'protocol'), 'utf8'), '8\n')
})

test('scripts of a newer protocol are refused, naming both versions, and nothing runs', async (t) => {
  const { scriptsDir, home, target, commands } = setup(t)
  await new ScriptRunner({ scriptsDir, protocol: 9 }).run(target, 'args.sh')
  rmSync(join(home, 'args'))
  commands.length = 0
  await assert.rejects(new ScriptRunner({ scriptsDir, protocol: 8 }).run(target, 'args.sh'), (error) => {
    assert.ok(error instanceof UserError)
    assert.equal(error.code, 'SCRIPTS_PROTOCOL_NEWER')
    assert.match(error.message, /protocol 9\b.*protocol 8\b/)
    assert.match(error.hint ?? '', /Update Helvetia/)
    return true
  })
  assert.equal(commands.length, 1, 'refused at the first round trip')
  assert.equal(readFileSync(join(home, SCRIPTS_FOLDER, 'protocol'), 'utf8'), '9\n')
  assert.deepEqual(readdirSync(home).sort(), ['.helvetia'], 'the script did not run')
})

test('arguments arrive exactly as given, however hostile', async (t) => {
  const { home, target, runner } = setup(t)
  const args = ["'; touch pwned; '", '$(touch pwned)', '`touch pwned`', 'a\nb', '"', '', '-x', '*']
  await runner.run(target, 'args.sh', { args })
  assert.deepEqual(readFileSync(join(home, 'args'), 'utf8').split('\0').slice(0, -1), args)
  assert.deepEqual(readdirSync(home).sort(), ['.helvetia', 'args'])
})

test('standard input reaches the script', async (t) => {
  const { target, runner } = setup(t)
  const outcome = await runner.run(target, 'stdin.sh', { stdin: 'hello' })
  assert.deepEqual(outcome.facts, { input: 'hello' })
})

test('progress lines become events, other output log lines; facts keep their last value', async (t) => {
  const { target, runner } = setup(t)
  const events: ScriptEvent[] = []
  const outcome = await runner.run(target, 'steps.sh', { onEvent: (event) => events.push(event) })
  assert.deepEqual(outcome, { facts: { colour: 'green' }, changed: true })
  const stdout = events.filter((event) => !(event.type === 'log' && event.stream === 'stderr'))
  assert.deepEqual(stdout, [
    { type: 'step', step: 'one', status: 'running', code: null, message: 'First step' },
    { type: 'log', stream: 'stdout', line: 'human output' },
    { type: 'fact', key: 'colour', value: 'blue' },
    { type: 'fact', key: 'colour', value: 'green' },
    { type: 'step', step: 'one', status: 'done', code: null, message: 'First step done' },
    { type: 'changed', changed: true },
  ])
  assert.ok(events.some((e) => e.type === 'log' && e.stream === 'stderr' && e.line === 'a warning'))
})

test("a failed step becomes a UserError with the step's code, message and hint", async (t) => {
  const { target, runner } = setup(t)
  const events: ScriptEvent[] = []
  await assert.rejects(runner.run(target, 'fails.sh', { onEvent: (e) => events.push(e) }), (error) => {
    assert.ok(error instanceof UserError)
    assert.equal(error.code, 'PORT_TAKEN')
    assert.equal(error.message, 'Port 80 is already in use')
    assert.equal(error.hint, 'Choose another port with --http-port.')
    return true
  })
  assert.ok(events.some((e) => e.type === 'step' && e.step === 'ports' && e.status === 'failed'))
})

test('an unexpected failure names the step it broke', async (t) => {
  const { target, runner } = setup(t)
  await assert.rejects(runner.run(target, 'breaks.sh'), (error) => {
    assert.ok(error instanceof UserError)
    assert.equal(error.code, 'SCRIPT_FAILED')
    assert.match(error.message, /Unexpected failure \(exit code 1\)/)
    return true
  })
})

test('a failure without a step reports the exit code and the last output line', async (t) => {
  const { target, runner } = setup(t)
  await assert.rejects(runner.run(target, 'plain-exit.sh'), {
    code: 'SCRIPT_FAILED',
    message: 'plain-exit.sh failed with exit code 4: something broke',
  })
})

test('only scripts of the bundle run', async (t) => {
  const { target, runner, commands } = setup(t)
  await assert.rejects(runner.run(target, 'missing.sh'), /No script missing\.sh/)
  await assert.rejects(runner.run(target, '../args.sh'), /No script/)
  assert.equal(commands.length, 0)
})

test('the app bundle holds the scripts and their libraries', async () => {
  const { hash, files } = await loadScriptBundle(REAL_SCRIPTS)
  assert.match(hash, /^[0-9a-f]{16}$/)
  const paths = files.map((file) => file.path)
  for (const path of ['facts.sh', 'provision.sh', 'lib/progress.sh', 'lib/system.sh', 'lib/validate.sh']) {
    assert.ok(paths.includes(path), path)
  }
})

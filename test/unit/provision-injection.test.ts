import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { UserError } from '../../src-main/core/errors'
import { createProvisioner } from '../../src-main/core/provision/provision'
import type { ProxyInput } from '../../src-main/core/proxy/proxy-options'
import { ScriptRunner, type ScriptEvent } from '../../src-main/core/remote/script-runner'
import { LocalTarget } from '../../src-main/core/targets/local-target'
import type { Target } from '../../src-main/core/targets/target'

const SCRIPTS_DIR = fileURLToPath(new URL('../../remote-scripts', import.meta.url))

function fixture(t: { after: (fn: () => void) => void }) {
  const root = mkdtempSync(join(tmpdir(), 'helvetia-injection-'))
  t.after(() => rmSync(root, { recursive: true, force: true }))
  const marker = join(root, 'pwned')
  const hostile = [
    `$(touch ${marker})`,
    `\`touch ${marker}\``,
    `x; touch ${marker}`,
    `x' ; touch ${marker}; echo '`,
    `x" ; touch ${marker}; echo "`,
    `x\ntouch ${marker}`,
    `x | touch ${marker}`,
    `x && touch ${marker}`,
    // A forged progress line must not reach the parser either.
    'x\n::helvetia:: changed=0',
  ]
  return { root, marker, hostile }
}

test('the app refuses shell metacharacters in every provisioning field, before contacting the server', async (t) => {
  const { marker, hostile } = fixture(t)
  const fields: (keyof ProxyInput)[] = [
    'proxy',
    'proxyImage',
    'httpPort',
    'httpsPort',
    'bind',
    'email',
    'prefix',
  ]
  const commands: string[] = []
  const target: Target = {
    kind: 'local',
    exec: async (command) => (commands.push(command), { code: 0, stdout: '', stderr: '' }),
  }
  const provisioner = createProvisioner({ scripts: new ScriptRunner({ scriptsDir: SCRIPTS_DIR }) })
  for (const field of fields) {
    for (const value of hostile) {
      await assert.rejects(
        provisioner.provision(target, { proxy: 'caddy', [field]: value }),
        (error) => error instanceof UserError && error.code === 'INVALID_OPTION',
        `${field}=${JSON.stringify(value)}`,
      )
    }
  }
  assert.deepEqual(commands, [])
  assert.equal(existsSync(marker), false)
})

test('provision.sh refuses them too when called directly, and nothing in them runs', async (t) => {
  const { root, marker, hostile } = fixture(t)
  const target = new LocalTarget({ env: { PATH: process.env.PATH, HOME: root } })
  const runner = new ScriptRunner({ scriptsDir: SCRIPTS_DIR })
  const valid: Record<string, string> = {
    '--proxy': 'caddy',
    '--image': 'caddy:2',
    '--http-port': '8080',
    '--https-port': '8443',
    '--bind': '127.0.0.1',
    '--prefix': 'helvetia-injection',
  }
  for (const option of Object.keys(valid)) {
    for (const value of hostile) {
      const args = Object.entries({ ...valid, [option]: value }).flat()
      const events: ScriptEvent[] = []
      await assert.rejects(
        runner.run(target, 'provision.sh', { args, stdin: 'config', onEvent: (e) => events.push(e) }),
        (error) => error instanceof UserError && error.code === 'INVALID_OPTION',
        `${option}=${JSON.stringify(value)}`,
      )
      assert.deepEqual(
        events.filter((e) => e.type !== 'log').map((e) => e.type),
        ['step', 'hint'],
        `${option}=${JSON.stringify(value)}: only the failed step and its hint`,
      )
    }
  }
  const unknown = [`--$(touch ${marker})`, 'x', ...Object.entries(valid).flat()]
  await assert.rejects(runner.run(target, 'provision.sh', { args: unknown, stdin: 'x' }), {
    code: 'INVALID_ARGUMENT',
  })
  assert.equal(existsSync(marker), false)
  // Refused before doing anything: only the uploaded scripts are on the "server".
  assert.deepEqual(readdirSync(root).sort(), ['.helvetia'])
  assert.deepEqual(readdirSync(join(root, '.helvetia')), ['scripts'])
})

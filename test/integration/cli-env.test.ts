/**
 * `helvetia env set` keeps secrets out of `ps` and shell history: the real command reads KEY=VALUE
 * lines with --stdin, asks for a value left out (without echo for a secret) on a real terminal
 * (node-pty), and without a terminal refuses with a pointer to --stdin. Values land in the real
 * keychain; nothing here needs the test server.
 */
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import { fileURLToPath } from 'node:url'
import pty from 'node-pty'
import type { EnvListing } from '../../src-main/api/apps'
import { createCore } from '../../src-main/core/create-core'
import { appSecretAccount } from '../../src-main/core/vault/accounts'
import { createKeytarVault } from '../../src-main/core/vault/vault'
import { CLI_PREFIX, helvetia } from '../support/cli'
import { requireKeychain } from '../support/keychain'
import { APP_ROOT, tempHome } from '../support/temp-home'

const BIN = fileURLToPath(new URL('../../src-main/cli/bin.mjs', import.meta.url))
const vault = createKeytarVault()

/** A home with this computer as a server and an app `web` on it; its secrets removed after the test. */
async function appHome(t: TestContext) {
  const home = tempHome(t)
  const core = createCore({ home, appRoot: APP_ROOT, vault, face: 'test' })
  await core.servers.add({ name: 'here', host: 'localhost', auth: 'local' })
  core.apps.create({ name: 'web', server: 'here', source: { kind: 'folder', path: home } })
  const { id } = core.apps.record('web')
  core.close()
  const keys: string[] = []
  t.after(async () => {
    for (const key of keys) await vault.delete(appSecretAccount(id, key))
  })
  return { home, secret: (key: string) => (keys.push(key), vault.get(appSecretAccount(id, key))) }
}

const listing = async (home: string) =>
  JSON.parse((await helvetia(home, ['env', 'list', 'web', '--json'])).stdout) as EnvListing

test('env set --stdin reads KEY=VALUE lines; a secret goes to the keychain, never the arguments', async (t) => {
  if (!requireKeychain(t)) return
  const { home, secret } = await appHome(t)
  const set = await helvetia(
    home,
    ['env', 'set', 'web', '--stdin', '--secret'],
    'API_KEY=s3cr=t\r\n\nTOKEN=two words\n',
  )
  assert.equal(set.code, 0, set.stderr)
  assert.match(set.stderr, /Set 2 variable\(s\) of web/)
  assert.equal(await secret('API_KEY'), 's3cr=t')
  assert.equal(await secret('TOKEN'), 'two words')
  const plain = await helvetia(home, ['env', 'set', 'web', 'MODE=a', '--stdin'], 'GREETING=hello\n')
  assert.equal(plain.code, 0, plain.stderr)
  assert.deepEqual(
    (await listing(home)).vars.map((v) => [v.key, v.secret, v.secret ? '' : v.value]),
    [
      ['API_KEY', true, ''],
      ['GREETING', false, 'hello'],
      ['MODE', false, 'a'],
      ['TOKEN', true, ''],
    ],
  )
  const bad = await helvetia(home, ['env', 'set', 'web', '--stdin'], 'JUSTAKEY\n')
  assert.notEqual(bad.code, 0)
  assert.match(bad.stderr, /KEY=VALUE/)
})

test('env set KEY --secret without a terminal refuses and points to --stdin', async (t) => {
  if (!requireKeychain(t)) return
  const { home } = await appHome(t)
  const result = await helvetia(home, ['env', 'set', 'web', 'API_KEY', '--secret'])
  assert.notEqual(result.code, 0)
  assert.match(result.stderr, /No value for API_KEY.*--stdin/s)
  assert.deepEqual((await listing(home)).vars, [])
})

test('env set KEY --secret on a terminal asks for the value without echoing it', async (t) => {
  if (!requireKeychain(t)) return
  const { home, secret } = await appHome(t)
  const term = pty.spawn(process.execPath, [BIN, 'env', 'set', 'web', 'API_KEY', '--secret'], {
    cols: 100,
    rows: 30,
    env: { ...process.env, HELVETIA_PREFIX: CLI_PREFIX, HELVETIA_HOME: home } as Record<string, string>,
  })
  let screen = ''
  let asked = () => {}
  const prompted = new Promise<void>((resolve) => (asked = resolve))
  term.onData((data) => {
    screen += data
    if (screen.includes('Value of API_KEY')) asked()
  })
  const exited = new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode)))
  t.after(() => term.kill())
  await Promise.race([prompted, exited])
  assert.match(screen, /Value of API_KEY/)
  term.write('typed s3cret\r')
  assert.equal(await exited, 0, screen)
  assert.match(screen, /Set 1 variable\(s\) of web/)
  assert.ok(!screen.includes('typed s3cret'), `echoed: ${JSON.stringify(screen)}`)
  assert.equal(await secret('API_KEY'), 'typed s3cret')
})

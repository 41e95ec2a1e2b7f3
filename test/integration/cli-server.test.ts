import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import type { ServerFacts, ServerSummary } from '../../src-main/api/contract'
import { addServerArgs, helvetia, provisionCaddyArgs, removeCliProxy } from '../support/cli'
import { tempHome } from '../support/temp-home'
import { testServer } from '../support/test-server'
import { freePorts } from './provision-support'

test('server add refuses an unknown host key without a TTY and prints the fingerprint to confirm', async (t) => {
  const server = testServer(t)
  if (!server) return
  const home = tempHome(t)
  const base = [
    'server',
    'add',
    'web',
    '--host',
    server.host,
    '--port',
    String(server.port),
    '--user',
    server.user,
  ]
  const unknown = await helvetia(home, [...base, '--identity', server.keyPath])
  assert.notEqual(unknown.code, 0)
  assert.equal(unknown.stderr.trim().split('\n').length, 1, 'one line on stderr')
  assert.match(unknown.stderr, /unknown host key/)
  assert.ok(unknown.stderr.includes(`--fingerprint ${server.hostKeyFingerprint}`), unknown.stderr)

  const wrong = await helvetia(home, [
    ...base,
    '--identity',
    server.keyPath,
    '--fingerprint',
    'SHA256:' + 'A'.repeat(43),
  ])
  assert.notEqual(wrong.code, 0)
  assert.match(wrong.stderr, /HOST_KEY_MISMATCH|was expected/)

  const list = await helvetia(home, ['server', 'list', '--json'])
  assert.deepEqual(JSON.parse(list.stdout), [], 'nothing was stored')
})

test('server add, list, check and remove with a key file', async (t) => {
  const server = testServer(t)
  if (!server) return
  const home = tempHome(t)
  const added = await helvetia(home, addServerArgs(server, 'web', '--identity', server.keyPath, '--json'))
  assert.equal(added.code, 0, added.stderr)
  const summary = JSON.parse(added.stdout) as ServerSummary
  assert.equal(summary.hostKeyFingerprint, server.hostKeyFingerprint)
  assert.equal(summary.auth, 'key-file')

  const list = JSON.parse((await helvetia(home, ['server', 'list', '--json'])).stdout) as ServerSummary[]
  assert.deepEqual(
    list.map((s) => s.name),
    ['web'],
  )
  assert.equal(list[0]?.proxy, null, 'nothing is known of what runs on it before it is read')
  const table = (await helvetia(home, ['server', 'list'])).stdout.split('\n')
  assert.match(table[0] ?? '', /^NAME +ADDRESS +AUTH +HOST KEY +PROXY$/)
  assert.match(table[1] ?? '', /^web .* not provisioned$/)

  const check = await helvetia(home, ['server', 'check', 'web', '--json'])
  assert.equal(check.code, 0, check.stderr)
  const facts = JSON.parse(check.stdout) as ServerFacts
  assert.equal(facts.os, 'debian')
  assert.equal(facts.privilege, 'none', 'the test user has neither root nor sudo')
  assert.match(facts.dockerVersion ?? '', /^\d+\.\d+/)
  assert.ok(facts.cpus >= 1 && facts.memoryBytes > 0 && facts.diskFreeBytes > 0)

  const again = await helvetia(home, [
    'server',
    'add',
    'web',
    '--host',
    server.host,
    '--fingerprint',
    server.hostKeyFingerprint,
  ])
  assert.notEqual(again.code, 0)
  assert.match(again.stderr, /already exists/)

  assert.equal((await helvetia(home, ['server', 'remove', 'web'])).code, 0)
  assert.deepEqual(JSON.parse((await helvetia(home, ['server', 'list', '--json'])).stdout), [])
})

test('bad input gets a one-line error that says what to do, and nothing is stored or sent', async (t) => {
  const home = tempHome(t)
  const cases: [string[], RegExp][] = [
    [['server', 'add', 'Bad Name!', '--host', '127.0.0.1'], /Invalid name.*lowercase/],
    [['server', 'add', 'web', '--host', '$(touch /tmp/helvetia-pwned)'], /Invalid host/],
    [['server', 'add', 'web', '--host', '127.0.0.1', '--user', 'a;id'], /Invalid user/],
    [['server', 'add', 'web'], /No --host/],
    [['server', 'add', 'web', '--host', '127.0.0.1', '--port', '70000'], /port/],
    [['server', 'add', 'web', '--host', '127.0.0.1', '--fingerprint', 'MD5:xx'], /fingerprint/i],
    [['server', 'check', 'nope'], /No server named "nope"/],
  ]
  for (const [args, message] of cases) {
    const result = await helvetia(home, args)
    assert.notEqual(result.code, 0, args.join(' '))
    assert.match(result.stderr, message, args.join(' '))
  }
  assert.deepEqual(JSON.parse((await helvetia(home, ['server', 'list', '--json'])).stdout), [])
})

test('a bad HELVETIA_PREFIX is refused in one line that says what to do, before anything opens', async (t) => {
  const home = tempHome(t)
  for (const prefix of ['Helvetia', 'x;id', '-lead']) {
    const result = await helvetia(home, ['server', 'list'], '', { HELVETIA_PREFIX: prefix })
    assert.equal(result.code, 1, prefix)
    assert.equal(
      result.stderr,
      `helvetia: Invalid HELVETIA_PREFIX: ${JSON.stringify(prefix)} — Expected lowercase letters, digits and ` +
        'dashes, starting with a letter. Set HELVETIA_PREFIX to such a name, or unset it to use `helvetia`.\n',
    )
  }
  assert.deepEqual(readdirSync(home), [], 'no data folder was opened')
  const unset = await helvetia(home, ['server', 'list', '--json'], '', { HELVETIA_PREFIX: '' })
  assert.equal(unset.code, 0, unset.stderr)
})

/** A real ssh-agent holding the test key, for the CLI to use through SSH_AUTH_SOCK. */
async function startAgent(t: TestContext, keyPath: string): Promise<string> {
  const socket = join(tempHome(t), 'agent.sock')
  const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' })
  t.after(() => agent.kill())
  for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise((resolve) => setTimeout(resolve, 50))
  execFileSync('ssh-add', ['-q', keyPath], { env: { ...process.env, SSH_AUTH_SOCK: socket } })
  return socket
}

test('a generated key is installed through the agent, kept in the keychain, and logs in on its own', async (t) => {
  const server = testServer(t)
  if (!server) return
  const home = tempHome(t)
  const socket = await startAgent(t, server.keyPath)
  const name = `gen-${randomBytes(3).toString('hex')}`
  const added = await helvetia(home, addServerArgs(server, name, '--generate-key', '--json'), '', {
    SSH_AUTH_SOCK: socket,
  })
  assert.equal(added.code, 0, added.stderr)
  assert.equal((JSON.parse(added.stdout) as ServerSummary).auth, 'generated-key')
  const authorizedKeys = execFileSync('cat', [`/home/${server.user}/.ssh/authorized_keys`], {
    encoding: 'utf8',
  })
  assert.match(authorizedKeys, new RegExp(`ssh-ed25519 \\S+ helvetia@${name}`))
  t.after(() =>
    execFileSync('sed', ['-i', `/ helvetia@${name}$/d`, `/home/${server.user}/.ssh/authorized_keys`]),
  )
  // Without the agent, the server still lets Helvetia in: with the key from the keychain.
  const check = await helvetia(home, ['server', 'check', name, '--json'], '', { SSH_AUTH_SOCK: '' })
  assert.equal(check.code, 0, check.stderr)
  // The private half is nowhere in the data folder.
  for (const file of readdirSync(home)) {
    assert.doesNotMatch(readFileSync(join(home, file)).toString('latin1'), /OPENSSH PRIVATE KEY/, file)
  }
  const removed = await helvetia(home, ['server', 'remove', name])
  assert.equal(removed.code, 0, removed.stderr)
})

test('server add --agent logs in through the SSH agent', async (t) => {
  const server = testServer(t)
  if (!server) return
  const home = tempHome(t)
  const socket = await startAgent(t, server.keyPath)
  const args = addServerArgs(server, 'via-agent', '--agent')
  const added = await helvetia(home, args, '', { SSH_AUTH_SOCK: socket })
  assert.equal(added.code, 0, added.stderr)
  const noAgent = await helvetia(home, ['server', 'check', 'via-agent'], '', { SSH_AUTH_SOCK: '' })
  assert.notEqual(noAgent.code, 0)
  assert.match(noAgent.stderr, /SSH_AUTH_SOCK is not set/)
  assert.equal(
    (await helvetia(home, ['server', 'check', 'via-agent'], '', { SSH_AUTH_SOCK: socket })).code,
    0,
  )
})

test('server provision with Caddy brings the proxy up, and a second run changes nothing', async (t) => {
  const server = testServer(t)
  if (!server) return
  const home = tempHome(t)
  const added = await helvetia(home, addServerArgs(server, 'edge', '--identity', server.keyPath))
  assert.equal(added.code, 0, added.stderr)
  const [httpPort = 0, httpsPort = 0] = await freePorts(2)
  t.after(() => {
    // Only what this test created: the proxy, network and volume under the CLI tests' prefix.
    execFileSync('sh', ['-c', removeCliProxy], { stdio: 'ignore' })
  })
  const provision = [...provisionCaddyArgs(server, 'edge', httpPort, httpsPort), '--json']
  const first = await helvetia(home, provision)
  assert.equal(first.code, 0, first.stderr)
  assert.equal(JSON.parse(first.stdout).changed, true)
  assert.match(first.stderr, /✓/, 'progress is streamed to stderr')
  const answer = await fetch(`http://127.0.0.1:${httpPort}/`)
  assert.equal(answer.headers.get('server'), 'Caddy')
  const second = await helvetia(home, provision)
  assert.equal(second.code, 0, second.stderr)
  assert.equal(JSON.parse(second.stdout).changed, false)

  // What runs there now, as read back from the server, is listed without connecting again.
  const proxy = { kind: 'caddy', httpPort, httpsPort, acmeEmail: false, checkedAt: 'then' }
  assert.deepEqual({ ...JSON.parse(second.stdout).proxy, checkedAt: 'then' }, proxy)
  const [listed] = JSON.parse((await helvetia(home, ['server', 'list', '--json'])).stdout) as ServerSummary[]
  assert.deepEqual({ ...listed?.proxy, checkedAt: 'then' }, proxy)
  const table = await helvetia(home, ['server', 'list'])
  assert.match(table.stdout, new RegExp(`^edge .* caddy ${httpPort}/${httpsPort}$`, 'm'))
  const check = await helvetia(home, ['server', 'check', 'edge'])
  assert.equal(check.code, 0, check.stderr)
  assert.match(
    check.stdout,
    new RegExp(`^Proxy +caddy ${httpPort}/${httpsPort} \\(HTTP/HTTPS\\), Let's Encrypt email not set$`, 'm'),
  )
})

test('server remove refuses a server that still has apps, naming them; --force forgets it and them here', async (t) => {
  const home = tempHome(t)
  const run = (args: string[]) => helvetia(home, args)
  // "This computer" needs no SSH, and creating apps sends nothing to a server.
  assert.equal((await run(['server', 'add', 'here', '--local'])).code, 0)
  for (const app of ['api', 'web']) {
    const created = await run(['app', 'create', app, '--server', 'here', '--path', home])
    assert.equal(created.code, 0, created.stderr)
  }
  const appNames = async () =>
    (JSON.parse((await run(['app', 'list', '--json'])).stdout) as { name: string }[]).map((a) => a.name)

  const refused = await run(['server', 'remove', 'here'])
  assert.notEqual(refused.code, 0)
  assert.match(refused.stderr, /here still has 2 apps: api, web\./)
  assert.ok(refused.stderr.includes('`helvetia app remove api`, `helvetia app remove web`'), refused.stderr)
  assert.ok(refused.stderr.includes('`helvetia server remove here --force`'), refused.stderr)
  assert.equal((JSON.parse((await run(['server', 'list', '--json'])).stdout) as unknown[]).length, 1)
  assert.deepEqual(await appNames(), ['api', 'web'], 'nothing was forgotten')

  const forced = await run(['server', 'remove', 'here', '--force'])
  assert.equal(forced.code, 0, forced.stderr)
  assert.match(forced.stderr, /Removed here and forgot its apps on this computer: api, web/)
  assert.deepEqual(JSON.parse((await run(['server', 'list', '--json'])).stdout), [])
  assert.deepEqual(await appNames(), [])
})

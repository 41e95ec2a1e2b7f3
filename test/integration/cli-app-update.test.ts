/**
 * `helvetia app update` through the real command: what it changes and prints, `status` showing the
 * settings pending, and invalid changes refused with nothing changed. Nothing is deployed or
 * provisioned (apps-update.test.ts deploys changed settings), so nothing lands under the default prefix
 * but the status read of the app's (absent) history.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { AppSummary } from '../../src-main/core/apps/apps'
import { addServerArgs, helvetia } from '../support/cli'
import { tempHome } from '../support/temp-home'
import { testServer } from '../support/test-server'

test('app update: changes settings, prints them, status shows them pending; invalid ones refused', async (t) => {
  const server = testServer(t)
  if (!server) return
  const home = tempHome(t)
  const run = async (args: string[], ok = true) => {
    const result = await helvetia(home, args)
    if (ok) assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`)
    return result
  }
  const summary = async (name: string) =>
    (JSON.parse((await run(['app', 'list', '--json'])).stdout) as AppSummary[]).find((a) => a.name === name)
  await run(addServerArgs(server, 'edge', '--identity', server.keyPath))
  const create = (name: string, domain: string) =>
    run(['app', 'create', name, '--server', 'edge', '--path', home, '--domain', domain, '--memory', '64m'])
  await create('cliupd', 'http://one.test')
  await create('cliupdother', 'two.test')

  const changed = await run([
    'app',
    'update',
    'cliupd',
    '--add-domain',
    'three.test',
    '--port',
    '8081',
    '--memory',
    '128m',
    '--pids',
    '64',
    '--health-path',
    '/health',
    '--restart',
    'on-failure:3',
  ])
  assert.equal(
    changed.stdout,
    [
      'Changed cliupd:',
      '  port: 3000 → 8081',
      '  domains: http://one.test → http://one.test three.test',
      '  health check: HTTP / → HTTP /health',
      '  memory limit: 64m → 128m',
      '  process limit: default → 64',
      '  restart policy: unless-stopped → on-failure:3',
      'Deploy to apply: helvetia deploy cliupd',
      '',
    ].join('\n'),
  )
  const status = await run(['status', 'cliupd'])
  assert.match(status.stdout, /^Settings +changed, pending until the next deploy$/m)
  assert.match(status.stdout, /^Env +deployed$/m)
  const json = JSON.parse((await run(['status', 'cliupd', '--json'])).stdout) as { app: AppSummary }
  assert.equal(json.app.settingsPending, true)

  const removed = JSON.parse(
    (await run(['app', 'update', 'cliupd', '--remove-domain', 'one.test', '--memory', 'none', '--json']))
      .stdout,
  ) as AppSummary
  assert.deepEqual(removed.spec.domains, ['three.test'])
  assert.deepEqual(removed.spec.resources, { pids: 64 })

  const refused: [args: string[], error: RegExp][] = [
    [['--memory', 'lots'], /Invalid memory limit: "lots" — Expected a size such as 512m or 1g\./],
    [['--domain', 'http://two.test'], /"two\.test" is already used by cliupdother/],
    [['--add-domain', 'four.test', '--port', '0'], /invalid|expected a port/i],
    [['--remove-domain', 'nine.test'], /has no domain nine\.test/],
    [['--restart', 'sometimes'], /Invalid restart policy/],
    [['--branch', 'main'], /branch applies to an app deployed from a git repository/],
    [['--domain', 'x.test', '--add-domain', 'y.test'], /cannot be used with/],
    [[], /No setting to change given/],
  ]
  const before = await summary('cliupd')
  for (const [args, error] of refused) {
    const result = await run(['app', 'update', 'cliupd', ...args], false)
    assert.notEqual(result.code, 0, args.join(' '))
    assert.match(result.stderr, error)
  }
  assert.deepEqual(await summary('cliupd'), before, 'nothing changed')

  const replaced = await run([
    'app',
    'update',
    'cliupd',
    '--domain',
    'http://five.test',
    '--domain',
    'six.test',
  ])
  assert.match(replaced.stdout, /^ {2}domains: three\.test → http:\/\/five\.test six\.test$/m)
  const again = await run(['app', 'update', 'cliupd', '--port', '8081'])
  assert.equal(again.stdout, 'Nothing changed: cliupd has these settings already.\n')
})

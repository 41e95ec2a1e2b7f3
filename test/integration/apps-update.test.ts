/**
 * `apps:update` over the real core and the test server: a deployed app's domains, port and memory
 * limit changed (pending until the next deploy), deployed (the new domain and port answer through the
 * proxy, the old domain no longer does, the container has the new limit), a change during no deploy
 * cleared by a rollback; invalid changes and a domain another app uses are refused and change nothing.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { DeployProgress, InputOf, StreamMethod } from '../../src-main/api/contract'
import { sh } from '../../src-main/core/shell/quote'
import { hostClient } from '../support/host-client'
import { coreTestbed } from './core-support'

test('apps:update: domains, port and memory pending until a deploy; invalid changes refused', async (t) => {
  const bed = await coreTestbed(t)
  if (!bed) return
  const { api } = bed.core
  const deploy = async <M extends StreamMethod & ('apps:deploy' | 'apps:rollback')>(
    method: M,
    input: InputOf<M>,
  ) => {
    let last: DeployProgress | undefined
    for await (const event of api[method](input as never, new AbortController().signal))
      last = event as DeployProgress
    assert.equal(last?.type, 'done')
    const { deployment } = last as Extract<DeployProgress, { type: 'done' }>
    assert.equal(deployment.status, 'succeeded', JSON.stringify(deployment.error))
    return deployment
  }
  const pending = async () => (await api['apps:status']({ name: 'updweb' })).app.settingsPending

  // One image serving two ports with different pages, so the port the proxy uses shows in the answer.
  const folder = await bed.folder({
    Dockerfile: [
      `FROM ${bed.server.images.busybox}`,
      'COPY www /www',
      'COPY other /other',
      'CMD ["sh", "-c", "httpd -p 8081 -h /other && exec httpd -f -p 8080 -h /www"]',
      '',
    ].join('\n'),
    'www/index.html': 'on 8080\n',
    'other/index.html': 'on 8081\n',
  })
  await api['apps:create']({
    name: 'updweb',
    server: bed.serverName,
    source: { kind: 'folder', path: folder },
    port: 8080,
    domains: ['http://updweb.test'],
    healthPath: '/index.html',
    memory: '64m',
  })
  await api['apps:create']({
    name: 'updother',
    server: bed.serverName,
    source: { kind: 'folder', path: folder },
    domains: ['http://taken.test'],
  })
  await deploy('apps:deploy', { name: 'updweb' })
  assert.deepEqual(await bed.get('updweb.test'), { status: 200, body: 'on 8080\n' })
  assert.equal(await pending(), false)

  // Invalid changes, sent through the API host as every face sends them: refused with their code and
  // the field named, and nothing stored.
  const client = hostClient(bed.core.api)
  const before = (await api['apps:list']()).find((a) => a.name === 'updweb')
  const refused: [changes: Record<string, unknown>, message: RegExp, code: string, field: string][] = [
    [{ port: 70000 }, /Invalid port: 70000/, 'INVALID_OPTION', 'changes.port'],
    [
      { domains: ['http://new.test', 'not a domain'] },
      /Invalid domain: "not a domain"/,
      'INVALID_OPTION',
      'changes.domains.1',
    ],
    [
      { domains: ['http://TAKEN.test'] },
      /"taken.test" is already used by updother/,
      'DOMAIN_IN_USE',
      'changes.domains.0',
    ],
    [
      { resources: { memory: 'lots' }, port: 8081 },
      /Invalid memory limit: "lots"/,
      'INVALID_OPTION',
      'changes.resources.memory',
    ],
    [
      { health: { retries: 0 } },
      /Invalid health check retries: 0/,
      'INVALID_OPTION',
      'changes.health.retries',
    ],
    [
      { branch: 'main' },
      /branch applies to an app deployed from a git repository/,
      'INVALID_OPTION',
      'changes.branch',
    ],
    [{ healthPath: '/x' }, /Unrecognized key: "healthPath"/, 'INVALID_INPUT', 'changes.healthPath'],
    [
      { resources: { memory: 512 } },
      /expected string, received number/,
      'INVALID_INPUT',
      'changes.resources.memory',
    ],
  ]
  for (const [changes, message, code, field] of refused) {
    await assert.rejects(client.call('apps:update', { name: 'updweb', changes: changes as never }), {
      message,
      code,
      field,
    })
  }
  assert.deepEqual(
    (await api['apps:list']()).find((a) => a.name === 'updweb'),
    before,
    'nothing changed',
  )

  const updated = await api['apps:update']({
    name: 'updweb',
    changes: { domains: ['http://updnew.test'], port: 8081, resources: { memory: '96m' } },
  })
  assert.deepEqual(updated.spec.domains, ['http://updnew.test'])
  assert.equal(updated.spec.port, 8081)
  assert.deepEqual(updated.spec.resources, { memory: '96m' })
  assert.equal(updated.settingsPending, true)
  assert.equal(updated.envPending, false)
  assert.equal(await pending(), true, 'the status shows the settings pending')
  assert.deepEqual(await bed.get('updweb.test'), { status: 200, body: 'on 8080\n' }, 'still as deployed')

  const live = await deploy('apps:deploy', { name: 'updweb' })
  assert.deepEqual(await bed.get('updnew.test'), { status: 200, body: 'on 8081\n' })
  const old = await bed.get('updweb.test').catch((error: Error) => error)
  assert.ok(old instanceof Error || old.body !== 'on 8080\n', 'the old domain no longer answers')
  assert.ok(live.container)
  const memory = await bed.run(sh`docker inspect --format '{{.HostConfig.Memory}}' ${live.container}`)
  assert.equal(memory.trim(), String(96 * 1024 * 1024))
  assert.equal(await pending(), false, 'deployed: nothing pending')

  // A rollback runs with the current settings, so it clears a pending change too.
  const drain = await api['apps:update']({
    name: 'updweb',
    changes: { drainS: 1, resources: { memory: null } },
  })
  assert.equal(drain.settingsPending, true)
  assert.equal(drain.spec.resources, undefined, 'null clears the limit')
  await deploy('apps:rollback', { name: 'updweb' })
  assert.equal(await pending(), false)
  assert.deepEqual(await bed.get('updnew.test'), { status: 200, body: 'on 8081\n' })

  // Changing a setting to what it is already is no change.
  const same = await api['apps:update']({ name: 'updweb', changes: { port: 8081, drainS: 1 } })
  assert.equal(same.settingsPending, false)
})

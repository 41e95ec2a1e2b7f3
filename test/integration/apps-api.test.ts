/**
 * The apps part of the API, as the renderer calls it, over the real core and the test server: an app
 * created, watched, deployed with streamed progress, its deployment log replayed, its runtime log
 * tailed in batches, its env edited (secrets masked, pending until the next deploy), rolled back.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { DeployProgress, InputOf, ItemOf, StreamMethod } from '../../src-main/api/contract'
import { coreTestbed } from './core-support'
import { busyboxApp } from './deploy-support'

test('apps API: create, watch, deploy, deployment log, runtime log, env, rollback', async (t) => {
  // The core as the desktop app builds it: its deploys and rollbacks record the desktop as their trigger.
  const bed = await coreTestbed(t, { face: 'desktop' })
  if (!bed) return
  const { api } = bed.core
  const collect = async <M extends StreamMethod>(method: M, input: InputOf<M>) => {
    const items: ItemOf<M>[] = []
    for await (const item of api[method](input as never, new AbortController().signal))
      items.push(item as ItemOf<M>)
    return items
  }
  const done = (events: DeployProgress[]) => {
    const last = events.at(-1)
    assert.equal(last?.type, 'done')
    return (last as Extract<DeployProgress, { type: 'done' }>).deployment
  }

  const watching = new AbortController()
  const lists = api['apps:watch'](undefined, watching.signal)[Symbol.asyncIterator]()
  assert.deepEqual((await lists.next()).value, [], 'no apps at first')

  // Version one says a line on start, so its runtime log has something that must come back.
  const folder = await bed.folder({
    ...busyboxApp(bed.server.images.busybox, 'version one\n'),
    Dockerfile: [
      `FROM ${bed.server.images.busybox}`,
      'COPY www /www',
      'CMD ["sh", "-c", "echo apiweb-runtime-line; exec httpd -f -p 8080 -h /www"]',
      '',
    ].join('\n'),
  })
  const created = await api['apps:create']({
    name: 'apiweb',
    server: bed.serverName,
    source: { kind: 'folder', path: folder },
    port: 8080,
    domains: ['http://apiweb.test'],
    healthPath: '/index.html',
  })
  assert.equal(created.server, bed.serverName)
  assert.deepEqual(
    ((await lists.next()).value as { name: string }[]).map((a) => a.name),
    ['apiweb'],
    'the watch saw the new app',
  )
  watching.abort()

  const secret = `tok-${Date.now()}`
  await api['env:set']({ name: 'apiweb', vars: [{ key: 'TOKEN', value: secret }], secret: true })
  const env = await api['env:list']({ name: 'apiweb' })
  assert.equal(env.pending, true)
  assert.ok(!JSON.stringify(env).includes(secret), 'the secret is masked')

  const first = await collect('apps:deploy', { name: 'apiweb' })
  const types = new Set(first.map((e) => e.type))
  for (const type of ['uploaded', 'started', 'step', 'log', 'done']) assert.ok(types.has(type as never), type)
  const one = done(first)
  assert.equal(one.status, 'succeeded', JSON.stringify(one.error))
  assert.equal(one.trigger, 'desktop')
  assert.deepEqual(await bed.get('apiweb.test'), { status: 200, body: 'version one\n' })
  assert.equal((await api['env:list']({ name: 'apiweb' })).pending, false, 'deployed: nothing pending')

  const replay = await collect('apps:deployment-log', { name: 'apiweb', id: one.id })
  const lines = (events: DeployProgress[]) =>
    events.flatMap((e) => (e.type === 'log' ? [e.line] : [])).join('\n')
  assert.equal(done(replay).id, one.id)
  assert.ok(lines(replay).length > 0, 'the stored log is replayed')
  assert.ok(!JSON.stringify([first, replay]).includes(secret), 'no secret in a streamed log')

  const runtime = await collect('apps:logs', { name: 'apiweb', tail: 50 })
  assert.ok(runtime.length > 0, 'the runtime log came in at least one batch')
  assert.ok(
    runtime.flatMap((batch) => batch.lines).some((line) => line.includes('apiweb-runtime-line')),
    JSON.stringify(runtime),
  )

  const v2 = await bed.folder(busyboxApp(bed.server.images.busybox, 'version two\n'))
  const two = done(await collect('apps:deploy', { name: 'apiweb', path: v2 }))
  assert.equal(two.status, 'succeeded')
  assert.deepEqual(await bed.get('apiweb.test'), { status: 200, body: 'version two\n' })

  const back = done(await collect('apps:rollback', { name: 'apiweb' }))
  assert.equal(back.status, 'succeeded')
  assert.equal(back.rollbackOf, one.id)
  assert.deepEqual(await bed.get('apiweb.test'), { status: 200, body: 'version one\n' })

  const status = await api['apps:status']({ name: 'apiweb' })
  assert.equal(status.live?.id, back.id)
  const history = await api['apps:deployments']({ name: 'apiweb' })
  assert.deepEqual(
    history.deployments.map((d) => d.trigger),
    ['desktop', 'desktop', 'desktop'],
  )

  await assert.rejects(
    collect('apps:deployment-log', { name: 'apiweb', id: '$(touch /tmp/x)' }),
    /Invalid deployment id/,
  )
  await api['apps:remove']({ name: 'apiweb' })
  assert.deepEqual(await api['apps:list'](), [])
})

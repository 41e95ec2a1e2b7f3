/**
 * The desktop's side of push to deploy (the watcher `helvetia watch` and the desktop app run) against a
 * real relay over HTTP on 127.0.0.1. The deploy itself is a stand-in that records the commit: deploying
 * a pushed commit needs a git source on a real server (test/integration covers the CLI path).
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { UserError } from '../../src-main/core/errors'
import { decidePush } from '../../src-main/core/push/push-event'
import type { RelayEvent } from '../../src-main/core/push/relay-client'
import { watchRelay, type WatchActivity, type WatchOptions } from '../../src-main/core/push/watcher'
import { commitId, postWebhook, pushPayload, testRelay } from '../support/relay'
import { signBody } from '../../relay/signature.js'

type Deploy = WatchOptions['deploy']

/** A relay with the app `web` (branch main) registered, and a watcher to start against it. */
async function watchBed(t: TestContext, relayOptions: { heartbeatMs?: number } = {}) {
  const bed = await testRelay(t, relayOptions)
  const hook = await bed.client.register('web', 'main')
  const activity: WatchActivity[] = []
  const acked: number[] = []
  const waiters = new Set<() => void>()
  const changed = () => waiters.forEach((wake) => wake())
  /** Resolves once `done()` holds, checked whenever the watcher reports or acknowledges. */
  const until = (done: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => done() && (waiters.delete(check), resolve())
      waiters.add(check)
      check()
    })

  /** Starts a watcher; the first `lostAcks` acknowledgements fail as if the connection dropped. */
  const watch = (deploy: Deploy, lostAcks = 0) => {
    const controller = new AbortController()
    const running = watchRelay({
      client: {
        ...bed.client,
        ack: async (seq) => {
          if (lostAcks-- > 0) throw new Error('connection reset')
          await bed.client.ack(seq)
          acked.push(seq)
          changed()
        },
      },
      hook: async (hookId) =>
        hookId === hook.hookId ? { app: 'web', branch: 'main', secret: hook.secret } : null,
      deploy,
      signal: controller.signal,
      onActivity: (a) => (activity.push(a), changed()),
      backoff: { firstMs: 10, maxMs: 50 },
      idleMs: relayOptions.heartbeatMs ? 200 : undefined,
    })
    const stop = async () => (controller.abort(), await running)
    t.after(stop)
    return stop
  }
  const post = (body: string, delivery = randomUUID()) =>
    postWebhook(hook.url, { secret: hook.secret, body, delivery }).then(() => delivery)
  const statuses = async () =>
    (await bed.client.deliveries('web')).map((d) => `${d.status}${d.detail ? `: ${d.detail}` : ''}`)
  const count = (type: WatchActivity['type']) => activity.filter((a) => a.type === type).length
  return { ...bed, hook, activity, acked, until, watch, post, statuses, count }
}

/** A deploy stand-in: records the commit, announces the start and succeeds. */
function recordingDeploy() {
  const commits: string[] = []
  const deploy: Deploy = async (app, commit, started) => {
    await started()
    commits.push(`${app}@${commit}`)
    return { id: `d${commits.length}`, status: 'succeeded' }
  }
  return { commits, deploy }
}

test("a push to the app's branch deploys its commit; a push to another branch is recorded as ignored", async (t) => {
  const bed = await watchBed(t)
  const { commits, deploy } = recordingDeploy()
  const commit = commitId()
  await bed.post(pushPayload('refs/heads/feature'))
  await bed.post(pushPayload('refs/heads/main', commit))
  bed.watch(deploy)
  await bed.until(() => bed.acked.length === 2)

  assert.deepEqual(commits, [`web@${commit}`])
  assert.deepEqual(await bed.statuses(), [
    'received',
    'received',
    'ignored-branch: push to refs/heads/feature; the app deploys main',
    `deploy-started: commit ${commit.slice(0, 12)} on refs/heads/main`,
    `deployed: commit ${commit.slice(0, 12)} on refs/heads/main: deployment d1`,
  ])
  assert.equal(readdirSync(join(bed.dataDir, 'events')).length, 0)
})

test('an event whose body or signature the relay altered is refused, not deployed', async (t) => {
  const bed = await watchBed(t)
  const { commits, deploy } = recordingDeploy()
  await bed.post(pushPayload('refs/heads/main'))
  await bed.post(pushPayload('refs/heads/main'))
  // The relay's stored events, altered where they sit: another commit in the first, and the second
  // signed again with a key the relay made up.
  const files = readdirSync(join(bed.dataDir, 'events')).map((name) => join(bed.dataDir, 'events', name))
  const alter = (file: string, change: (event: RelayEvent, body: string) => Partial<RelayEvent>) => {
    const event = JSON.parse(readFileSync(file, 'utf8')) as RelayEvent
    writeFileSync(
      file,
      JSON.stringify({ ...event, ...change(event, Buffer.from(event.bodyBase64, 'base64').toString()) }),
    )
  }
  alter(files[0] ?? '', (_, body) => ({
    bodyBase64: Buffer.from(body.replace(/"after":"\w+"/, `"after":"${commitId()}"`)).toString('base64'),
  }))
  alter(files[1] ?? '', (_, body) => ({ signature: signBody('made-up', body) }))

  bed.watch(deploy)
  await bed.until(() => bed.acked.length === 2)
  assert.deepEqual(commits, [])
  const refused =
    "refused-signature: refused by Helvetia: GitHub's signature does not match the body the relay passed on"
  assert.deepEqual(await bed.statuses(), ['received', 'received', refused, refused])
})

test('events accepted while the watcher is away or the relay restarts arrive when it connects again', async (t) => {
  const bed = await watchBed(t)
  const { commits, deploy } = recordingDeploy()
  const first = commitId()
  await bed.post(pushPayload('refs/heads/main', first))
  const stopFirst = bed.watch(deploy)
  await bed.until(() => bed.acked.length === 1)
  await stopFirst()

  const away = commitId()
  await bed.post(pushPayload('refs/heads/main', away))
  bed.watch(deploy) // stopped after the test
  await bed.until(() => bed.acked.length === 2)

  await bed.stop()
  await bed.until(() => bed.count('disconnected') > 0)
  const connections = bed.count('connected')
  await bed.start()
  const later = commitId()
  await bed.post(pushPayload('refs/heads/main', later))
  await bed.until(() => bed.acked.length === 3)
  assert.ok(bed.count('connected') > connections)
  assert.deepEqual(
    commits,
    [first, away, later].map((c) => `web@${c}`),
  )
})

test('a failed deploy is reported as failed and the watcher carries on', async (t) => {
  const bed = await watchBed(t)
  const ok = recordingDeploy()
  let calls = 0
  bed.watch(async (app, commit, started) => {
    if (calls++ === 0) throw new UserError('SERVER_UNREACHABLE', 'Cannot reach the server.', 'Check it.')
    return ok.deploy(app, commit, started)
  })
  const [a, b] = [commitId(), commitId()]
  await bed.post(pushPayload('refs/heads/main', a))
  await bed.post(pushPayload('refs/heads/main', b))
  await bed.until(() => bed.acked.length === 2)
  assert.deepEqual(ok.commits, [`web@${b}`])
  const log = await bed.statuses()
  assert.ok(
    log.includes(`failed: commit ${a.slice(0, 12)} on refs/heads/main: Cannot reach the server.`),
    log.join('\n'),
  )
})

test('an event whose acknowledgement was lost comes again and is acknowledged without a second deploy', async (t) => {
  const bed = await watchBed(t)
  const { commits, deploy } = recordingDeploy()
  bed.watch(deploy, 1)
  await bed.post(pushPayload('refs/heads/main'))
  await bed.until(() => bed.acked.length === 1)
  assert.equal(bed.count('disconnected'), 1)
  assert.equal(commits.length, 1)
  assert.deepEqual(
    (await bed.statuses()).map((s) => s.split(':')[0]),
    [
      'received',
      'deploy-started',
      'deployed',
      'deployed', // reported again with the acknowledgement that was lost
    ],
  )
})

test('a relay that goes quiet (no heartbeat) is dropped and dialled again', async (t) => {
  const bed = await watchBed(t, { heartbeatMs: 60_000 })
  bed.watch(recordingDeploy().deploy)
  await bed.until(() => bed.count('connected') >= 2)
  const dropped = bed.activity.find((a) => a.type === 'disconnected')
  assert.match(dropped?.type === 'disconnected' ? dropped.error : '', /sent nothing for 0.2 s/)
})

test('decidePush reads form-encoded pushes and ignores deletions and other events', () => {
  const secret = 's'.repeat(64)
  const event = (body: string, extra: Partial<RelayEvent> = {}): RelayEvent => ({
    seq: 1,
    hookId: 'h',
    app: 'web',
    delivery: 'd',
    event: 'push',
    signature: signBody(secret, body),
    contentType: 'application/json',
    bodyBase64: Buffer.from(body).toString('base64'),
    receivedAt: new Date().toISOString(),
    ...extra,
  })
  const hook = { secret, branch: 'main' }
  const commit = commitId()
  const form = `payload=${encodeURIComponent(pushPayload('refs/heads/main', commit))}`
  assert.deepEqual(decidePush(event(form, { contentType: 'application/x-www-form-urlencoded' }), hook), {
    action: 'deploy',
    ref: 'refs/heads/main',
    commit,
  })
  const deleted = JSON.stringify({ ref: 'refs/heads/main', after: '0'.repeat(40), deleted: true })
  assert.equal(decidePush(event(deleted), hook).action, 'ignore-event')
  assert.equal(decidePush(event('{}', { event: 'issues' }), hook).action, 'ignore-event')
  assert.equal(decidePush(event(pushPayload('refs/heads/main', 'HEAD')), hook).action, 'ignore-event')
  assert.equal(decidePush(event(pushPayload('refs/tags/main')), hook).action, 'ignore-branch')
  assert.equal(
    decidePush(event(pushPayload('refs/heads/main'), { signature: undefined as never }), hook).action,
    'refuse',
  )
})

test('a push whose commit the server does not find on the branch is refused, with no deploy-started', async (t) => {
  const bed = await watchBed(t)
  bed.watch(async (_app, commit) => {
    throw new UserError('GIT_COMMIT_NOT_ON_BRANCH', `Commit ${commit} is not on branch main of the repo`)
  })
  const commit = commitId()
  await bed.post(pushPayload('refs/heads/main', commit))
  await bed.until(() => bed.acked.length === 1)
  assert.deepEqual(await bed.statuses(), [
    'received',
    `refused-commit: commit ${commit.slice(0, 12)} on refs/heads/main: Commit ${commit} is not on branch main of the repo`,
  ])
})

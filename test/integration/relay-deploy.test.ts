/**
 * Push to deploy end to end: the real core (as the desktop app builds it) with the test server and a
 * Caddy proxy under a test prefix, a git repository the server fetches from, a relay on 127.0.0.1 and
 * the watcher. A signed push for the app's branch deploys exactly the pushed commit, which then answers
 * through the proxy; a push to another branch is recorded as ignored and changes nothing. A validly
 * signed push of a commit that is not on the branch (another branch's, or one the repository lacks:
 * replayed or forged) is refused with the reason and starts nothing; a delayed delivery of a commit that
 * is now behind the branch's tip still deploys it.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { WatchActivity } from '../../src-main/core/push/watcher'
import { openDatabase } from '../../src-main/core/store/database'
import { commitId, postWebhook, pushPayload, testRelay } from '../support/relay'
import { coreTestbed } from './core-support'
import { busyboxApp } from './deploy-support'
import { gitRepo } from './git-support'
import { relayTokenAccount, webhookSecretAccount } from '../../src-main/core/vault/accounts'

test('a signed push to the branch deploys that commit through the relay; another branch is ignored', async (t) => {
  const bed = await coreTestbed(t)
  if (!bed) return
  const { core } = bed
  const relay = await testRelay(t)
  const repo = await gitRepo(t, bed.server)
  await repo.commit(busyboxApp(bed.server.images.busybox, 'before the push\n'))
  core.apps.create({
    name: 'pushweb',
    server: bed.serverName,
    source: { kind: 'git', url: repo.path, branch: 'main' },
    port: 8080,
    domains: ['http://pushweb.test'],
    healthPath: '/index.html',
  })
  const hook = await core.push.connectWebhook('pushweb', { relay: relay.relay.url, token: relay.relay.token })
  const db = openDatabase(core.home)
  const appId = db.prepare<[], { id: string }>("SELECT id FROM apps WHERE name = 'pushweb'").get()?.id ?? ''
  db.close()
  t.after(() => core.vault.delete(webhookSecretAccount(appId)))
  t.after(() => core.vault.delete(relayTokenAccount(relay.relay.url)))

  const activity: WatchActivity[] = []
  let wake = () => {}
  const controller = new AbortController()
  const watching = core.push.watch({
    signal: controller.signal,
    onActivity: (a) => (activity.push(a), wake()),
  })
  t.after(async () => (controller.abort(), await watching))
  const handled = async (status: string) => {
    for (;;) {
      const found = activity.find(
        (a) => a.type === 'delivery' && ['deployed', 'failed', status].includes(a.status),
      )
      if (found?.type === 'delivery') return found
      await new Promise<void>((resolve) => (wake = resolve))
    }
  }

  // The commit GitHub would announce: pushed to the repository, then the signed webhook.
  const pushed = await repo.commit({ 'www/index.html': 'deployed by a push\n' })
  const post = (ref: string, after: string) =>
    postWebhook(hook.url, { secret: hook.secret, body: pushPayload(ref, after) })
  assert.equal((await post('refs/heads/main', pushed)).status, 202)
  const deployed = await handled('deployed')
  assert.equal(deployed.status, 'deployed', deployed.detail)
  assert.deepEqual(await bed.get('pushweb.test'), { status: 200, body: 'deployed by a push\n' })
  const history = await core.apps.deployments('pushweb')
  assert.deepEqual(
    history.deployments.map((d) => [d.trigger, d.source]),
    [['push', { kind: 'git', id: pushed }]],
  )

  activity.length = 0
  const elsewhere = await repo.commit({ 'www/index.html': 'not for production\n' }, 'feature')
  assert.equal((await post('refs/heads/feature', elsewhere)).status, 202)
  assert.equal((await handled('ignored-branch')).status, 'ignored-branch')
  assert.deepEqual(await bed.get('pushweb.test'), { status: 200, body: 'deployed by a push\n' })
  assert.equal((await core.apps.deployments('pushweb')).deployments.length, 1)

  // Signed, for the app's branch, but the commit is not on it: refused, nothing starts.
  const foreign = await repo.commit({ 'www/index.html': 'not on main\n' }, 'other')
  for (const commit of [foreign, commitId()]) {
    activity.length = 0
    assert.equal((await post('refs/heads/main', commit)).status, 202)
    const refused = await handled('refused-commit')
    assert.equal(refused.status, 'refused-commit', refused.detail)
    assert.match(refused.detail ?? '', new RegExp(`is not on branch main of ${repo.path}`))
  }
  assert.deepEqual(await bed.get('pushweb.test'), { status: 200, body: 'deployed by a push\n' })
  assert.equal((await core.apps.deployments('pushweb')).deployments.length, 1)

  // A delivery that comes late: its commit is behind the branch's tip by now, and still deploys.
  const late = await repo.commit({ 'www/index.html': 'delivered late\n' })
  await repo.commit({ 'www/index.html': 'the tip\n' })
  activity.length = 0
  assert.equal((await post('refs/heads/main', late)).status, 202)
  assert.equal((await handled('deployed')).status, 'deployed')
  assert.deepEqual(await bed.get('pushweb.test'), { status: 200, body: 'delivered late\n' })
  assert.deepEqual(
    (await core.push.deliveries('pushweb')).map((d) => d.status),
    [
      ...['received', 'deploy-started', 'deployed', 'received', 'ignored-branch'],
      ...[
        'received',
        'refused-commit',
        'received',
        'refused-commit',
        'received',
        'deploy-started',
        'deployed',
      ],
    ],
  )
})

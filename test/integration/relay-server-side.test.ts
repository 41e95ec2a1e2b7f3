/**
 * The relay on the user's server (`helvetia relay install`), end to end with the real core, the test
 * server, a Caddy proxy under a test prefix and a git repository the server fetches from. The relay is
 * built there from the test server's offline Node image (real servers pull node:22-alpine), and GitHub's
 * side is a signed POST through the proxy's port with the relay's domain as Host.
 *   - Laptop closed: with no watcher running and this process's SSH connections closed, a signed push
 *     on the app's branch is deployed by the server (push agent + deploy-push.sh) and answers through
 *     the proxy; its delivery log shows deploy-started and deployed; a push to another branch is
 *     recorded as ignored and deploys nothing; a signed push for the branch of a commit that is not
 *     on it (another branch's) is refused by the agent with the reason, and deploys nothing.
 *   - The desktop's watch reaches the relay through the SSH connection (no port is published) and gets
 *     the events of an app the server does not deploy itself; it never gets a server-side app's event,
 *     so a watcher connecting later does not deploy it a second time. The watcher's deploy is a
 *     stand-in that notes the commit (relay-deploy.test.ts covers the watcher's real deploy).
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { RelayInstallProgress } from '../../src-main/api/contract'
import type { WatchActivity } from '../../src-main/core/push/watcher'
import { sh } from '../../src-main/core/shell/quote'
import { openDatabase } from '../../src-main/core/store/database'
import { commitId, postWebhook, pushPayload } from '../support/relay'
import { until } from '../support/until'
import { coreTestbed, type CoreBed } from './core-support'
import { busyboxApp } from './deploy-support'
import { gitRepo } from './git-support'
import { relayTokenAccount, webhookSecretAccount } from '../../src-main/core/vault/accounts'

const appId = (bed: CoreBed, name: string) => {
  const db = openDatabase(bed.core.home)
  try {
    return db.prepare<[string], { id: string }>('SELECT id FROM apps WHERE name = ?').get(name)?.id ?? ''
  } finally {
    db.close()
  }
}

test('a relay on the server deploys pushes there with the desktop closed, and forwards the rest over SSH', async (t) => {
  const bed = await coreTestbed(t)
  if (!bed) return
  const { core } = bed
  bed.cleanup(sh`docker volume rm ${`${bed.prefix}-relay-data`} >/dev/null 2>&1; true`)

  const repo = await gitRepo(t, bed.server)
  await repo.commit(busyboxApp(bed.server.images.busybox, 'before the push\n'))
  core.apps.create({
    name: 'sideweb',
    server: bed.serverName,
    source: { kind: 'git', url: repo.path, branch: 'main' },
    port: 8080,
    domains: ['http://sideweb.test'],
    healthPath: '/index.html',
  })
  core.apps.create({
    name: 'folderweb',
    server: bed.serverName,
    source: { kind: 'folder', path: await bed.folder(busyboxApp(bed.server.images.busybox, 'folder\n')) },
    port: 8080,
  })
  // A push deploys with the settings of the app's last deploy from git: the first one is Helvetia's.
  assert.equal((await core.apps.deploy('sideweb')).status, 'succeeded')

  const relayHost = `relay.${bed.prefix}.test`
  // Through the API, as the desktop's button installs it: progress, then the installed relay.
  const progress: RelayInstallProgress[] = []
  const installing = core.api['push:install-relay'](
    { server: bed.serverName, domain: `http://${relayHost}`, baseImage: bed.server.images.node },
    new AbortController().signal,
  )
  for await (const event of installing) progress.push(event)
  const last = progress.at(-1)
  assert.ok(last?.type === 'installed', `the install ends with the relay: ${JSON.stringify(last)}`)
  assert.ok(
    progress.some((e) => e.type === 'step'),
    'the install reports its steps',
  )
  const installed = last.relay
  t.after(() => core.vault.delete(relayTokenAccount(installed.url)))
  assert.equal(installed.url, `http://${relayHost}`)
  assert.equal(installed.agentStartsAtBoot, false, 'the test server has no crontab')
  const agentPid = (await bed.run(sh`cat "$HOME"/${`.${bed.prefix}/relay/agent.pid`}`)).trim()
  bed.cleanup(sh`kill ${agentPid} 2>/dev/null; true`)
  // Reached through SSH only: the relay publishes no port on the server.
  assert.deepEqual((await bed.inspect(`${bed.prefix}-relay`)).HostConfig.PortBindings, {})

  const side = await core.push.connectWebhook('sideweb', { relay: installed.url })
  const folder = await core.push.connectWebhook('folderweb', { relay: installed.url })
  for (const name of ['sideweb', 'folderweb']) {
    const id = appId(bed, name)
    t.after(() => core.vault.delete(webhookSecretAccount(id)))
  }
  assert.equal(side.serverSide, true)
  assert.equal(folder.serverSide, false)
  assert.match(side.url, new RegExp(`^http://${relayHost.replaceAll('.', '\\.')}/hooks/`))

  // GitHub's POST reaches the relay's domain through the proxy.
  const post = (hook: typeof side, ref: string, after: string) =>
    postWebhook(hook.url.replace(`http://${relayHost}`, `http://127.0.0.1:${bed.httpPort}`), {
      secret: hook.secret,
      body: pushPayload(ref, after),
      host: relayHost,
    })

  // The desktop's watch, through the SSH connection.
  const watched: string[] = []
  const activity: WatchActivity[] = []
  const watch = () => {
    const controller = new AbortController()
    const done = core.push.watch({
      signal: controller.signal,
      onActivity: (a) => activity.push(a),
      deploy: async (app, commit, started) => {
        await started()
        watched.push(`${app} ${commit}`)
        return { id: 'stand-in', status: 'succeeded' }
      },
    })
    return async () => (controller.abort(), await done)
  }
  let stopWatch = watch()
  t.after(() => stopWatch())
  const folderCommit = commitId()
  assert.equal((await post(folder, 'refs/heads/main', folderCommit)).status, 202)
  await until('the watcher to deploy folderweb', 30_000, async () => (watched.length ? true : undefined))
  assert.deepEqual(watched, [`folderweb ${folderCommit}`])
  assert.ok(activity.some((a) => a.type === 'connected'))

  // Laptop closed: no watcher, no SSH connection from here.
  await stopWatch()
  core.servers.closeConnections()

  const pushed = await repo.commit({ 'www/index.html': 'deployed by the server\n' })
  assert.equal((await post(side, 'refs/heads/main', pushed)).status, 202)
  await until('the pushed commit to answer through the proxy', 180_000, async () => {
    const { body } = await bed.get('sideweb.test')
    return body === 'deployed by the server\n' ? true : undefined
  })
  // The agent reports the outcome a moment after the switch: wait for it, so the log's order is fixed.
  await until('the agent to report the deploy', 60_000, async () =>
    (await core.push.deliveries('sideweb')).some((d) => d.status === 'deployed') ? true : undefined,
  )
  const elsewhere = await repo.commit({ 'www/index.html': 'not for production\n' }, 'feature')
  assert.equal((await post(side, 'refs/heads/feature', elsewhere)).status, 202)
  await until('the relay to ignore the other branch', 60_000, async () =>
    (await core.push.deliveries('sideweb')).some((d) => d.status === 'ignored-branch') ? true : undefined,
  )
  const foreign = await repo.commit({ 'www/index.html': 'not on main\n' }, 'other')
  assert.equal((await post(side, 'refs/heads/main', foreign)).status, 202)

  // The desktop comes back: the history and the delivery log show what happened meanwhile.
  const statuses = await until('the delivery log to show the outcomes', 120_000, async () => {
    const log = (await core.push.deliveries('sideweb')).map((d) => d.status)
    return log.includes('deployed') && log.includes('refused-commit') ? log : undefined
  })
  assert.deepEqual(statuses, [
    ...['received', 'deploy-started', 'deployed', 'received', 'ignored-branch'],
    ...['received', 'refused-commit'],
  ])
  const refused = (await core.push.deliveries('sideweb')).find((d) => d.status === 'refused-commit')?.detail
  assert.match(
    refused ?? '',
    new RegExp(`commit ${foreign.slice(0, 12)} on refs/heads/main: Commit ${foreign} is not on branch main`),
  )
  const detail = (await core.push.deliveries('sideweb')).find((d) => d.status === 'deployed')?.detail
  assert.match(detail ?? '', new RegExp(`commit ${pushed.slice(0, 12)} on refs/heads/main: deployment `))
  const history = await core.apps.deployments('sideweb')
  assert.deepEqual(
    history.deployments.map((d) => [d.trigger, d.source]),
    [
      ['desktop', { kind: 'git', id: history.deployments[0]?.source.id }],
      ['push', { kind: 'git', id: pushed }],
    ],
  )
  assert.equal(history.current, history.deployments[1]?.id)
  assert.deepEqual(await bed.get('sideweb.test'), { status: 200, body: 'deployed by the server\n' })

  // A watcher that connects now gets the next folderweb event, and never the server's pushes.
  watched.length = 0
  stopWatch = watch()
  const later = commitId()
  assert.equal((await post(folder, 'refs/heads/main', later)).status, 202)
  await until('the watcher to deploy folderweb again', 30_000, async () =>
    watched.length ? true : undefined,
  )
  assert.deepEqual(watched, [`folderweb ${later}`])
})

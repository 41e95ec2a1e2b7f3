/**
 * Commit statuses of real deploys of an app created from GitHub, on the test server through Caddy,
 * with the local GitHub stand-in (test/support/github-standin.ts, plain HTTP on 127.0.0.1) in place of
 * GitHub, which cannot be reached from here; the stand-in records the statuses it is sent. The app's
 * source is `git@github.com:helvetia-test/NAME.git`, as Helvetia creates it; on the server, a git
 * `url.<path>.insteadOf` in the server user's git config (removed after the test) sends that URL to a
 * local repository, so the server's fetch runs as it would against GitHub, minus the network.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import type { DeployEvent } from '../../src-main/core/deploy/deployer'
import { sh } from '../../src-main/core/shell/quote'
import { startGitHubStandIn } from '../support/github-standin'
import { postWebhook, pushPayload, testRelay } from '../support/relay'
import { coreTestbed } from './core-support'
import { busyboxApp } from './deploy-support'
import { gitRepo } from './git-support'
import { ownVault, signIn, useStandIn } from './github-support'

test('deploys set pending then success or failure on the commit; a refused status only warns; pushes too', async (t) => {
  const standIn = await startGitHubStandIn(t)
  useStandIn(standIn)
  const vault = ownVault(t)
  const bed = await coreTestbed(t, { vault })
  if (!bed) return
  const { core } = bed
  await signIn(vault, standIn)
  const name = `site-${randomBytes(4).toString('hex')}`
  const onGitHub = standIn.addRepo({ owner: 'helvetia-test', name })
  const repo = await gitRepo(t, bed.server)
  const rewrite = `url.${repo.path}.insteadOf`
  await bed.run(sh`git config --global --add ${rewrite} ${`git@github.com:helvetia-test/${name}.git`}`)
  bed.cleanup(sh`git config --global --unset-all ${rewrite}; true`)

  await core.api['github:create-app']({
    name: 'ghsite',
    server: bed.serverName,
    repo: `helvetia-test/${name}`,
    port: 8080,
    domains: ['http://ghsite.test'],
    healthPath: '/index.html',
  })
  const image = bed.server.images.busybox
  const statuses = () =>
    standIn.statusesOf(`helvetia-test/${name}`).map((s) => `${s.sha.slice(0, 7)} ${s.state}`)
  const deploy = async (commit?: string) => {
    const lines: string[] = []
    const deployment = await core.apps.deploy('ghsite', {
      commit,
      onEvent: (event: DeployEvent | { type: 'uploaded' }) => event.type === 'log' && lines.push(event.line),
    })
    return { deployment, warnings: lines.filter((line) => line.startsWith('Warning:')) }
  }

  // A good commit: pending once it started, success at the end.
  const good = await repo.commit(busyboxApp(image, 'from github\n'))
  onGitHub.commits.add(good)
  const first = await deploy()
  assert.equal(first.deployment.status, 'succeeded', JSON.stringify(first.deployment.error))
  assert.deepEqual(statuses(), [`${good.slice(0, 7)} pending`, `${good.slice(0, 7)} success`])
  assert.deepEqual(first.warnings, [])
  const [pending, success] = standIn.statusesOf(`helvetia-test/${name}`)
  assert.equal(pending?.context, 'helvetia/deploy')
  assert.match(
    success?.description ?? '',
    new RegExp(`Deployed to ${bed.serverName} \\(${first.deployment.id}\\)`),
  )
  assert.deepEqual(await bed.get('ghsite.test', '/index.html'), { status: 200, body: 'from github\n' })

  // A commit whose build fails: pending, then failure; the old version keeps serving.
  const broken = await repo.commit(busyboxApp(image, 'broken\n', ['RUN false']))
  onGitHub.commits.add(broken)
  const second = await deploy()
  assert.equal(second.deployment.status, 'failed')
  assert.deepEqual(statuses().slice(2), [`${broken.slice(0, 7)} pending`, `${broken.slice(0, 7)} failure`])
  assert.deepEqual(await bed.get('ghsite.test', '/index.html'), { status: 200, body: 'from github\n' })

  // GitHub refuses the status (it does not know the commit): the deploy succeeds with two warnings.
  onGitHub.commits.delete(good)
  const third = await deploy(good)
  assert.equal(third.deployment.status, 'succeeded')
  assert.equal(third.warnings.length, 2, third.warnings.join('\n'))
  assert.match(third.warnings[0] ?? '', /pending commit status was not set on GitHub: .*No commit found/)
  assert.equal(statuses().length, 4)

  // A push through the relay, deployed by the background watcher: the same statuses.
  const relay = await testRelay(t)
  const connected = await core.api['push:connect']({
    name: 'ghsite',
    relay: relay.relay.url,
    token: relay.relay.token,
  })
  assert.equal(connected.secret, null, 'the webhook was added on GitHub')
  const secret = standIn.hooksOf(`helvetia-test/${name}`)[0]?.config.secret ?? null
  core.startBackground()
  await until(async () => (await core.api['push:status']({ name: 'ghsite' }))?.watcher?.state === 'connected')
  const pushed = await repo.commit(busyboxApp(image, 'pushed\n'))
  onGitHub.commits.add(pushed)
  const posted = await postWebhook(connected.url, { secret, body: pushPayload('refs/heads/main', pushed) })
  assert.equal(posted.status, 202)
  await until(async () =>
    (await core.api['push:deliveries']({ name: 'ghsite' })).some((d) => d.status === 'deployed'),
  )
  assert.deepEqual(statuses().slice(4), [`${pushed.slice(0, 7)} pending`, `${pushed.slice(0, 7)} success`])
  assert.deepEqual(await bed.get('ghsite.test', '/index.html'), { status: 200, body: 'pushed\n' })
})

/** Polls `condition` until it holds (the deadline only stops a test that would hang). */
async function until(condition: () => Promise<boolean>, deadlineMs = 120_000): Promise<void> {
  const end = Date.now() + deadlineMs
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('the condition did not hold in time')
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

/**
 * Deploying from git on the test server through Caddy: the server resolves the branch and fetches the
 * exact commit itself. A public repository (a path on the server): the branch head answers, a pushed
 * commit is deployed next, --commit deploys an older one of the branch, a commit built before is not built
 * again, a commit not on the branch and a missing branch are clear errors. A private one over SSH to the test server's own sshd,
 * where only the deploy key is let in: an unknown host key is refused until it is added, no key is
 * refused, the deploy key works, and it is left nowhere on the server.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { test } from 'node:test'
import type { DeployEvent } from '../../src-main/core/deploy/deployer'
import { generateKeyPair } from '../../src-main/core/ssh/key-pair'
import { failsWith } from '../support/user-error'
import { busyboxApp, deployTestbed, webApp } from './deploy-support'
import { authorizeDeployKey, gitRepo, knownHost } from './git-support'

const serverAddress = '127.0.0.1'

/** `step:status` of every finished step. */
const stepsOf = (events: DeployEvent[]) =>
  events.flatMap((e) => (e.type === 'step' && e.status !== 'running' ? [`${e.step}:${e.status}`] : []))

test('a public git repository: branch head, a new commit, an older --commit, no rebuild of a built commit, missing ones', async (t) => {
  const bed = await deployTestbed(t)
  if (!bed) return
  const repo = await gitRepo(t, bed.server)
  const app = webApp('gitweb')
  const image = bed.server.images.busybox
  const deploy = async (source: { commit?: string; branch?: string } = {}) => {
    const events: DeployEvent[] = []
    const deployment = await bed.deployer.deploy(
      bed.target,
      { app, source: { kind: 'git', url: repo.path, ...source }, serverAddress },
      { onEvent: (event) => event.type !== 'uploaded' && events.push(event) },
    )
    assert.equal(deployment.status, 'succeeded', JSON.stringify(deployment))
    return { deployment, steps: stepsOf(events) }
  }

  const first = await repo.commit(busyboxApp(image, 'version one\n'))
  const one = await deploy()
  assert.deepEqual(one.deployment.source, { kind: 'git', id: first })
  assert.deepEqual(one.steps.slice(0, 5), [
    'resolve:done',
    'fetch:done',
    'lock:done',
    'source:done',
    'build:done',
  ])
  assert.deepEqual(await bed.get('gitweb.test'), { status: 200, body: 'version one\n' })

  // A pushed commit: the next deploy resolves the branch to it.
  const second = await repo.commit({ 'www/index.html': 'version two\n' })
  const two = await deploy()
  assert.deepEqual(two.deployment.source, { kind: 'git', id: second })
  assert.ok(two.steps.includes('build:done'))
  assert.deepEqual(await bed.get('gitweb.test'), { status: 200, body: 'version two\n' })

  // An older commit by id: on the branch (its history is fetched to tell), and built before.
  const older = await deploy({ commit: first })
  assert.deepEqual(older.deployment.source, { kind: 'git', id: first })
  assert.ok(
    older.steps.includes('resolve:done') && older.steps.includes('build:skipped'),
    older.steps.join(' '),
  )
  assert.deepEqual(await bed.get('gitweb.test'), { status: 200, body: 'version one\n' })

  // The branch head again: the same commit as before, not built again.
  const again = await deploy()
  assert.deepEqual(again.deployment.source, { kind: 'git', id: second })
  assert.ok(again.steps.includes('build:skipped'), again.steps.join(' '))
  assert.deepEqual(await bed.get('gitweb.test'), { status: 200, body: 'version two\n' })
  const builds = await bed.run(`docker images --format '{{.ID}}' ${bed.prefix}/gitweb | sort -u | wc -l`)
  assert.equal(builds.trim(), '2', 'one image per commit')

  // Another branch by name, and what does not exist.
  const third = await repo.commit({ 'www/index.html': 'from a branch\n' }, 'release/1')
  const branch = await deploy({ branch: 'release/1' })
  assert.deepEqual(branch.deployment.source, { kind: 'git', id: third })
  assert.deepEqual(await bed.get('gitweb.test'), { status: 200, body: 'from a branch\n' })
  // A commit that is not on the app's branch (another branch's, or one the repository lacks) is
  // refused, naming the branch; nothing starts.
  for (const commit of [third, 'f'.repeat(40)]) {
    await assert.rejects(
      deploy({ commit }),
      failsWith('GIT_COMMIT_NOT_ON_BRANCH', (e) =>
        assert.match(e.message, new RegExp(`^Commit ${commit} is not on branch main of `)),
      ),
    )
  }
  await assert.rejects(
    deploy({ branch: 'nope' }),
    failsWith('GIT_BRANCH_MISSING', (e) => assert.match(e.message, /has no branch nope/)),
  )
  await assert.rejects(deploy({ commit: 'abc1234' }), failsWith('INVALID_OPTION'))
  const history = await bed.deployer.history(bed.target, 'gitweb')
  assert.equal(history.deployments.length, 5, 'a failed fetch starts no deployment')
  assert.deepEqual(await bed.get('gitweb.test'), { status: 200, body: 'from a branch\n' })
})

test('a private git repository over SSH: host key checked, only the deploy key let in, the key left nowhere', async (t) => {
  const bed = await deployTestbed(t)
  if (!bed) return
  const repo = await gitRepo(t, bed.server)
  const head = await repo.commit(busyboxApp(bed.server.images.busybox, 'private one\n'))
  const key = generateKeyPair('helvetia-deploy-test')
  const authorize = authorizeDeployKey(bed, key.publicKey)
  const host = knownHost(bed, bed.server)
  const app = webApp('private')
  const deploy = (deployKey?: string) =>
    bed.deployer.deploy(bed.target, {
      app,
      source: { kind: 'git', url: repo.sshUrl, ...(deployKey ? { deployKey } : {}) },
      serverAddress,
    })

  // The test sshd's host key is not known to the server's user: refused, with how to add it.
  await host.forget()
  await authorize()
  await assert.rejects(
    deploy(key.privateKey),
    failsWith('GIT_HOST_KEY_UNKNOWN', (e) => {
      assert.match(e.message, /127\.0\.0\.1/)
      assert.match(e.hint ?? '', new RegExp(`ssh-keyscan -p ${bed.server.port} 127\\.0\\.0\\.1`))
    }),
  )

  await host.trust()
  await authorize()
  await assert.rejects(deploy(), failsWith('GIT_AUTH_FAILED'), 'without the deploy key')

  await authorize()
  const deployment = await deploy(key.privateKey)
  assert.equal(deployment.status, 'succeeded', JSON.stringify(deployment))
  assert.deepEqual(deployment.source, { kind: 'git', id: head })
  assert.deepEqual(await bed.get('private.test'), { status: 200, body: 'private one\n' })

  // The key was a file for the fetch only: no copy is left in the user's home or in /tmp.
  const keyLine = key.privateKey.split('\n')[2] ?? ''
  assert.ok(keyLine.length > 40)
  const home = execFileSync('sh', ['-c', `getent passwd ${bed.server.user} | cut -d: -f6`], {
    encoding: 'utf8',
  }).trim()
  const copies = execFileSync(
    'sh',
    ['-c', 'grep -rlF -e "$1" "$2" /tmp 2>/dev/null || true', 'sh', keyLine, home],
    {
      encoding: 'utf8',
    },
  )
  assert.equal(copies.trim(), '', 'no copy of the deploy key')
})

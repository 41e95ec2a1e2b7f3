/**
 * Git apps through the real `helvetia` command, behind a Caddy proxy under Helvetia's default names: a
 * public repository deployed at its branch head and at an older --commit; a private one over SSH with
 * a generated deploy key that lives in the OS keychain and is printed for the repository, deployed
 * once that key is let in, rotated (the old key, still let in, is no longer used; the new one is once
 * let in), and removed with its app. (Rebuilds, missing branches and host keys are
 * covered below the CLI, in deploy-git.test.ts.)
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { test, type TestContext } from 'node:test'
import type { DeployKeyInfo } from '../../src-main/api/contract'
import type { AppSummary } from '../../src-main/core/apps/apps'
import type { Deployment } from '../../src-main/core/deploy/deployment-record'
import { KEYCHAIN_SERVICE } from '../../src-main/core/vault/vault'
import { cliBed, createAppArgs } from '../support/cli'
import { busyboxApp, get } from './deploy-support'
import { authorizeDeployKey, gitRepo, knownHost, type ServerShell } from './git-support'

type Keytar = typeof import('keytar')

/** `cliBed` with an app's commands: `create`, `deploy` and `get` its page through the proxy. */
async function gitCliBed(t: TestContext, app: string) {
  const bed = await cliBed(t, app)
  if (!bed) return undefined
  const { run, httpPort } = bed
  return {
    ...bed,
    /** `app create APP --server edge …`, served on http://APP.test from port 8080. */
    create: (...args: string[]) => run(createAppArgs(app, args)),
    async deploy(...args: string[]) {
      const result = await run(['deploy', app, ...args, '--json'])
      return { deployment: JSON.parse(result.stdout) as Deployment, log: result.stderr }
    },
    get: () => get(httpPort, `${app}.test`),
  }
}

test('app create --git with a public repository: deploy the branch head, deploy --commit, errors', async (t) => {
  const bed = await gitCliBed(t, 'gitcli')
  if (!bed) return
  const repo = await gitRepo(t, bed.server)
  const first = await repo.commit(busyboxApp(bed.server.images.busybox, 'git one\n'))
  const second = await repo.commit({ 'www/index.html': 'git two\n' })
  const created = JSON.parse((await bed.create('--git', repo.path, '--json')).stdout) as AppSummary
  assert.deepEqual(created.source, { kind: 'git', url: repo.path })

  const head = await bed.deploy()
  assert.equal(head.deployment.status, 'succeeded')
  assert.deepEqual(head.deployment.source, { kind: 'git', id: second })
  assert.match(head.log, new RegExp(`✓ main is at ${second}`))
  assert.deepEqual(await bed.get(), { status: 200, body: 'git two\n' })

  const older = await bed.deploy('--commit', first)
  assert.deepEqual(older.deployment.source, { kind: 'git', id: first })
  assert.deepEqual(await bed.get(), { status: 200, body: 'git one\n' })

  const missing = await bed.run(['deploy', 'gitcli', '--commit', 'f'.repeat(40)], false)
  assert.notEqual(missing.code, 0)
  assert.match(
    missing.stderr,
    /Commit f{40} is not on branch main of .* — Helvetia deploys only commits of the app's branch \(main\)/,
  )
  const keyOverHttps = await bed.run(
    [
      'app',
      'create',
      'x',
      '--server',
      'edge',
      '--git',
      'https://example.com/o/r.git',
      '--generate-deploy-key',
    ],
    false,
  )
  assert.match(keyOverHttps.stderr, /A deploy key is used over SSH only/)
  await bed.run(['app', 'remove', 'gitcli'])
})

test('app create --git --generate-deploy-key: the key printed, kept in the keychain only, deployed with, rotated, removed', async (t) => {
  const bed = await gitCliBed(t, 'gitpriv')
  if (!bed) return
  const { server } = bed
  const repo = await gitRepo(t, server)
  const head = await repo.commit(busyboxApp(server.images.busybox, 'private via cli\n'))
  const created = await bed.create('--git', repo.sshUrl, '--generate-deploy-key')
  const publicKey = /^ssh-ed25519 \S+ helvetia-deploy-gitpriv$/m.exec(created.stdout)?.[0]
  assert.ok(publicKey, created.stdout)
  const keytar = createRequire(import.meta.url)('keytar') as Keytar
  const deployKeys = async () =>
    (await keytar.findCredentials(KEYCHAIN_SERVICE)).filter((c) => c.account.endsWith(':deploy-key'))
  assert.equal((await deployKeys()).length, 1)
  const onDisk = execFileSync('sh', ['-c', 'grep -rl "PRIVATE KEY" "$1" || true', 'sh', bed.home], {
    encoding: 'utf8',
  })
  assert.equal(onDisk.trim(), '', 'the private key is not in the data folder')
  const listed = JSON.parse((await bed.run(['app', 'list', '--json'])).stdout) as AppSummary[]
  assert.deepEqual(listed[0]?.source, { kind: 'git', url: repo.sshUrl, deployKey: { publicKey } })

  // The server is this machine: its user's commands run here.
  const shell: ServerShell = {
    run: async (command) =>
      execFileSync('runuser', ['-u', server.user, '--', 'sh', '-c', `cd; ${command}`], { encoding: 'utf8' }),
    cleanup: (command) => t.after(() => void shell.run(command)),
  }
  const authorize = authorizeDeployKey(shell, publicKey)
  // Trusted and let in right before each deploy: concurrent test runs rewrite both files.
  const host = knownHost(shell, server)
  await host.trust()
  await authorize()
  const deployed = await bed.deploy()
  assert.equal(deployed.deployment.status, 'succeeded')
  assert.deepEqual(deployed.deployment.source, { kind: 'git', id: head })
  assert.deepEqual(await bed.get(), { status: 200, body: 'private via cli\n' })

  // `app deploy-key` shows it; --rotate replaces it, and says what to do with a key added by hand.
  const shown = JSON.parse(
    (await bed.run(['app', 'deploy-key', 'gitpriv', '--json'])).stdout,
  ) as DeployKeyInfo
  assert.equal(shown.publicKey, publicKey)
  assert.equal(shown.githubKeyId, null)
  const human = await bed.run(['app', 'deploy-key', 'gitpriv'])
  assert.match(human.stdout, /^Deploy key of gitpriv \(added by hand\):$/m)
  assert.ok(human.stdout.includes(`\n${publicKey}\nFingerprint: ${shown.fingerprint}\n`), human.stdout)
  const rotation = await bed.run(['app', 'deploy-key', 'gitpriv', '--rotate'])
  const newKey = /^ssh-ed25519 \S+ helvetia-deploy-gitpriv$/m.exec(rotation.stdout)?.[0]
  assert.ok(newKey && newKey !== publicKey, rotation.stdout)
  assert.ok(
    rotation.stdout.includes(`Replaced the deploy key of gitpriv (${shown.fingerprint}) with a new one`),
    rotation.stdout,
  )
  assert.match(
    rotation.stdout,
    /Add the new key to the repository's deploy keys \(read-only\) and remove the old one/,
  )
  const listedAgain = JSON.parse((await bed.run(['app', 'list', '--json'])).stdout) as AppSummary[]
  assert.deepEqual(listedAgain[0]?.source, {
    kind: 'git',
    url: repo.sshUrl,
    deployKey: { publicKey: newKey },
  })
  assert.equal((await deployKeys()).length, 1, 'the new private half replaced the old one')

  // The old key is still let in, but Helvetia no longer has it: the fetch is refused.
  const next = await repo.commit({ 'www/index.html': 'rotated key\n' })
  await host.trust()
  await authorize()
  const refused = await bed.run(['deploy', 'gitpriv'], false)
  assert.notEqual(refused.code, 0)
  assert.match(refused.stderr, /refused access/)
  assert.deepEqual(await bed.get(), { status: 200, body: 'private via cli\n' }, 'the live version stays')

  // The new key let in: deploys fetch with it.
  await host.trust()
  await authorizeDeployKey(shell, newKey)()
  const again = await bed.deploy()
  assert.equal(again.deployment.status, 'succeeded')
  assert.deepEqual(again.deployment.source, { kind: 'git', id: next })
  assert.deepEqual(await bed.get(), { status: 200, body: 'rotated key\n' })

  await bed.run(['app', 'remove', 'gitpriv'])
  assert.deepEqual(await deployKeys(), [], 'the deploy key left the keychain with its app')
})

/**
 * Git apps through the real `helvetia` command, behind a Caddy proxy under Helvetia's default names: a
 * public repository deployed at its branch head, at a new commit and at an older --commit; a private
 * one over SSH with a generated deploy key that lives in the OS keychain and is printed for the
 * repository, deployed once that key is let in; both removed, the key with its app.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { test } from 'node:test'
import type { AppSummary } from '../../src-main/core/apps/apps'
import type { Deployment } from '../../src-main/core/deploy/deployment-record'
import { KEYCHAIN_SERVICE } from '../../src-main/core/vault/vault'
import { addServerArgs, helvetia, provisionCaddyArgs } from '../support/cli'
import { tempHome } from '../support/temp-home'
import { testServer } from '../support/test-server'
import { busyboxApp, get } from './deploy-support'
import { authorizeDeployKey, gitRepo, knownHost, type ServerShell } from './git-support'
import { freePorts } from './provision-support'

type Keytar = typeof import('keytar')

test('app create --git (public, and private with --generate-deploy-key), deploy, deploy --commit, remove', async (t) => {
  const server = testServer(t)
  if (!server) return
  const home = tempHome(t)
  const apps = ['gitcli', 'gitpriv']
  t.after(() => {
    // Only what this test created, under Helvetia's default names.
    execFileSync(
      'sh',
      [
        '-c',
        apps
          .map(
            (app) =>
              `docker ps -aq --filter label=dev.helvetia.prefix=helvetia --filter label=dev.helvetia.app=${app} | xargs -r docker rm -f -v; ` +
              `docker images --format '{{.Repository}}:{{.Tag}}' | grep '^helvetia/${app}:' | xargs -r docker rmi; ` +
              `rm -rf ~helvetia-test/.helvetia/apps/${app}; `,
          )
          .join('') +
          'docker rm -f -v helvetia-proxy; docker network rm helvetia; docker volume rm helvetia-caddy-data; ' +
          'rm -rf ~helvetia-test/.helvetia/proxy; rmdir ~helvetia-test/.helvetia/apps',
      ],
      { stdio: 'ignore' },
    )
  })
  // The server is this machine: its user's commands run here.
  const shell: ServerShell = {
    run: async (command) =>
      execFileSync('runuser', ['-u', server.user, '--', 'sh', '-c', `cd; ${command}`], { encoding: 'utf8' }),
    cleanup: (command) => t.after(() => void shell.run(command)),
  }
  const run = async (args: string[], ok = true) => {
    const started = Date.now()
    const result = await helvetia(home, args)
    console.error('TIMING', Date.now() - started, args.slice(0, 4).join(' '))
    if (ok) assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`)
    return result
  }
  const deploy = async (...args: string[]) => {
    const result = await run(['deploy', ...args, '--json'])
    return { deployment: JSON.parse(result.stdout) as Deployment, log: result.stderr }
  }
  const served = (app: string) => [
    '--port',
    '8080',
    '--domain',
    `http://${app}.test`,
    '--health-path',
    '/index.html',
  ]

  await run(addServerArgs(server, 'edge', '--identity', server.keyPath))
  const [httpPort = 0, httpsPort = 0] = await freePorts(2)
  await run(provisionCaddyArgs(server, 'edge', httpPort, httpsPort))

  // A public repository, by its path on the server.
  const repo = await gitRepo(t, server)
  const first = await repo.commit(busyboxApp(server.images.busybox, 'git one\n'))
  const created = JSON.parse(
    (
      await run([
        'app',
        'create',
        'gitcli',
        '--server',
        'edge',
        '--git',
        repo.path,
        ...served('gitcli'),
        '--json',
      ])
    ).stdout,
  ) as AppSummary
  assert.deepEqual(created.source, { kind: 'git', url: repo.path })
  const one = await deploy('gitcli')
  assert.equal(one.deployment.status, 'succeeded')
  assert.deepEqual(one.deployment.source, { kind: 'git', id: first })
  assert.match(one.log, /✓ main is at [0-9a-f]{40}/)
  assert.deepEqual(await get(httpPort, 'gitcli.test'), { status: 200, body: 'git one\n' })

  const second = await repo.commit({ 'www/index.html': 'git two\n' })
  assert.deepEqual((await deploy('gitcli')).deployment.source, { kind: 'git', id: second })
  assert.deepEqual(await get(httpPort, 'gitcli.test'), { status: 200, body: 'git two\n' })

  const older = await deploy('gitcli', '--commit', first)
  assert.deepEqual(older.deployment.source, { kind: 'git', id: first })
  assert.match(older.log, /This source was built already/)
  assert.deepEqual(await get(httpPort, 'gitcli.test'), { status: 200, body: 'git one\n' })

  const missing = await run(['deploy', 'gitcli', '--commit', 'f'.repeat(40)], false)
  assert.notEqual(missing.code, 0)
  assert.match(missing.stderr, /has no commit f{40} — Push the commit first/)
  const badUrl = await run(['app', 'create', 'x', '--server', 'edge', '--git', 'ext::sh'], false)
  assert.match(badUrl.stderr, /Invalid git URL/)
  const keyOverHttps = await run(
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

  // A private repository over SSH: the generated key is printed, and kept in the keychain only.
  const privateRepo = await gitRepo(t, server)
  const head = await privateRepo.commit(busyboxApp(server.images.busybox, 'private via cli\n'))
  const createdPrivate = await run([
    'app',
    'create',
    'gitpriv',
    '--server',
    'edge',
    '--git',
    privateRepo.sshUrl,
    '--generate-deploy-key',
    ...served('gitpriv'),
  ])
  const publicKey = /^ssh-ed25519 \S+ helvetia-deploy-gitpriv$/m.exec(createdPrivate.stdout)?.[0]
  assert.ok(publicKey, createdPrivate.stdout)
  const keytar = createRequire(import.meta.url)('keytar') as Keytar
  const deployKeys = async () =>
    (await keytar.findCredentials(KEYCHAIN_SERVICE)).filter((c) => c.account.endsWith(':deploy-key'))
  assert.equal((await deployKeys()).length, 1)
  assert.ok(
    !execFileSync('sh', ['-c', `grep -rl 'PRIVATE KEY' ${home} || true`], { encoding: 'utf8' }).trim(),
  )

  const authorize = authorizeDeployKey(shell, publicKey)
  await knownHost(shell, server).trust()
  await authorize()
  const privateDeploy = await deploy('gitpriv')
  assert.equal(privateDeploy.deployment.status, 'succeeded')
  assert.deepEqual(privateDeploy.deployment.source, { kind: 'git', id: head })
  assert.deepEqual(await get(httpPort, 'gitpriv.test'), { status: 200, body: 'private via cli\n' })

  const listed = JSON.parse((await run(['app', 'list', '--json'])).stdout) as AppSummary[]
  assert.deepEqual(
    listed.map((a) => a.source),
    [
      { kind: 'git', url: repo.path },
      { kind: 'git', url: privateRepo.sshUrl, deployKey: { publicKey } },
    ],
  )
  for (const app of apps) await run(['app', 'remove', app])
  assert.deepEqual(await deployKeys(), [], 'the deploy key left the keychain with its app')
})

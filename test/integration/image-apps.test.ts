/**
 * Image apps through the real `helvetia` command, from a private registry on loopback (Debian's
 * docker-registry with a login): `registry add` keeps the password in the keychain only; the app
 * deploys from the registry with it, and afterwards the login is nowhere on the server; `deploy
 * --image` moves to another tag; a rollback runs the recorded digest again, pulled anew when its image
 * has gone from the server; a wrong password fails with REGISTRY_AUTH_FAILED and leaves nothing.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import type { RegistryLogin } from '../../src-main/api/images'
import type { AppSummary } from '../../src-main/api/apps'
import type { Deployment } from '../../src-main/core/deploy/deployment-record'
import { registryAccount } from '../../src-main/core/vault/accounts'
import { KEYCHAIN_SERVICE } from '../../src-main/core/vault/vault'
import { CLI_PREFIX, cliBed, createAppArgs, helvetia } from '../support/cli'
import { requireKeychain } from '../support/keychain'
import { startRegistry } from '../support/registry-server'
import { until } from '../support/until'
import { get } from './deploy-support'

const keytar = createRequire(import.meta.url)('keytar') as typeof import('keytar')
const sh = (script: string): string => execFileSync('sh', ['-c', script], { encoding: 'utf8' })

test('an image app deploys from a private registry, leaves no login on the server, and rolls back by digest', async (t) => {
  if (!requireKeychain(t)) return
  const app = 'imgapp'
  const bed = await cliBed(t, app)
  if (!bed) return
  const { server, home, run, httpPort } = bed
  // Anything written after this may hold the login only where the test put it.
  const since = join(await mkdtemp(join(tmpdir(), 'helvetia-image-apps-')), 'since')
  await writeFile(since, '')
  t.after(() => rm(join(since, '..'), { recursive: true, force: true }))
  const registry = await startRegistry(t)
  const repo = `${registry.host}/helvetia-${process.pid}/web`

  // Two tags of a small web image, pushed, then gone from the engine: the server pulls them for real.
  const ids: Record<string, string> = {}
  for (const tag of ['v1', 'v2']) {
    const context = await mkdtemp(join(tmpdir(), 'helvetia-image-'))
    await writeFile(
      join(context, 'Dockerfile'),
      `FROM ${server.images.busybox}\nRUN mkdir /www && echo ${tag} >/www/index.html\nCMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n`,
    )
    execFileSync('docker', ['build', '-q', '-t', `${repo}:${tag}`, context], { stdio: 'pipe' })
    await rm(context, { recursive: true, force: true })
    ids[tag] = sh(`docker image inspect -f '{{.Id}}' ${repo}:${tag}`).trim()
    registry.docker(['push', `${repo}:${tag}`])
    execFileSync('docker', ['rmi', `${repo}:${tag}`], { stdio: 'pipe' })
  }

  // The login: the password on standard input, into the keychain; the store and the list know the user only.
  const added = await helvetia(
    home,
    ['registry', 'add', registry.host, '--username', registry.username],
    `${registry.password}\n`,
  )
  assert.equal(added.code, 0, added.stderr)
  t.after(() => helvetia(home, ['registry', 'remove', registry.host]))
  const logins = JSON.parse((await run(['registry', 'list', '--json'])).stdout) as RegistryLogin[]
  assert.deepEqual(
    logins.map((l) => [l.host, l.username]),
    [[registry.host, registry.username]],
  )
  assert.equal(
    sh(`grep -rlsF -e '${registry.password}' ${home} || true`),
    '',
    'the data folder holds no password',
  )
  const keychained = () => keytar.getPassword(KEYCHAIN_SERVICE, registryAccount(registry.host))
  assert.equal(await keychained(), registry.password, 'the keychain holds it')

  // A reference outside Docker's grammar is refused before anything is stored.
  const bad = await run(createAppArgs(app, ['--image', `${repo}:v1;reboot`]), false)
  assert.match(bad.stderr, /Invalid image/)

  await run(createAppArgs(app, ['--image', `${repo}:v1`]))
  // The old container goes at once, and each deploy-like command waits for the one before to finish its
  // clean-up (which runs on after the new version is live).
  await run(['app', 'update', app, '--drain', '0'])
  const deployments = `~${server.user}/.${CLI_PREFIX}/apps/${app}/deployments`
  const settled = (d: Deployment) =>
    until(`deployment ${d.id} to finish its clean-up`, 120_000, async () =>
      sh(`cat ${deployments}/${d.id}/log`).includes('step=cleanup status=done') ? d : undefined,
    )
  const v1 = JSON.parse((await run(['deploy', app, '--json'])).stdout) as Deployment
  assert.equal(v1.status, 'succeeded')
  await settled(v1)
  assert.deepEqual(v1.source, { kind: 'image', id: `${repo}:v1` })
  assert.match(v1.digest ?? '', /^sha256:[0-9a-f]{64}$/)
  assert.equal(v1.builder, null, 'nothing was built')
  assert.equal((await get(httpPort, `${app}.test`)).body, 'v1\n')
  const running = (id: string) => sh(`docker inspect -f '{{.Image}}' ${CLI_PREFIX}-${app}-${id}`).trim()
  assert.equal(running(v1.id), ids.v1, 'the pulled image runs')

  // The login is nowhere on the server: not in Helvetia's folders (the deployment's files and log
  // among them), not in Docker's config, not in a temporary file.
  const auth = Buffer.from(`${registry.username}:${registry.password}`).toString('base64')
  const noLogin = () => {
    const found = sh(
      `{ find ~${server.user}/.${CLI_PREFIX} ~${server.user}/.docker -type f 2>/dev/null; ` +
        `find /tmp -newer ${since} -type f -size -20M 2>/dev/null | grep -v '^${registry.dir}/'; } | ` +
        `xargs -r -d '\\n' grep -lsF -e '${registry.password}' -e '${auth}' || true`,
    )
    assert.equal(found, '', 'no file holds the password or its base64 login')
    const left = sh(`ls -d ${deployments}/*/pull-config 2>/dev/null || true`)
    assert.equal(left, '', 'no temporary Docker config is left')
  }
  noLogin()
  const log = await run(['deployments', app])
  assert.match(log.stdout, new RegExp(`image ${repo}:v1 \\(sha256:`))

  // An image app builds nothing: no folder to send.
  assert.match((await run(['deploy', app, '--path', home], false)).stderr, /--path does not apply/)

  // Another tag: it becomes the app's image.
  const v2 = JSON.parse((await run(['deploy', app, '--image', `${repo}:v2`, '--json'])).stdout) as Deployment
  assert.equal(v2.status, 'succeeded')
  await settled(v2)
  assert.notEqual(v2.digest, v1.digest)
  assert.equal((await get(httpPort, `${app}.test`)).body, 'v2\n')
  const apps = JSON.parse((await run(['app', 'list', '--json'])).stdout) as AppSummary[]
  assert.deepEqual(apps.find((a) => a.name === app)?.source, { kind: 'image', ref: `${repo}:v2` })

  // v1's image has gone from the server: the rollback pulls its recorded digest again, with the login.
  sh(`docker image rm -f ${CLI_PREFIX}/${app}:${v1.id}`)
  const back = JSON.parse((await run(['rollback', app, '--json'])).stdout) as Deployment
  assert.equal(back.status, 'succeeded')
  await settled(back)
  assert.equal(back.rollbackOf, v1.id)
  assert.equal(back.digest, v1.digest)
  assert.equal(running(back.id), ids.v1, 'the rollback runs the image of v1’s digest')
  assert.equal((await get(httpPort, `${app}.test`)).body, 'v1\n')
  // And back to v2, whose image is still there: its tag is reused.
  const forth = JSON.parse((await run(['rollback', app, '--to', v2.id, '--json'])).stdout) as Deployment
  assert.equal(forth.digest, v2.digest)
  await settled(forth)
  assert.equal(running(forth.id), ids.v2)
  noLogin()

  // A wrong password: a clear code, the previous version serving, and no login left behind.
  const wrong = `wrong-${registry.password}`
  const replaced = await helvetia(
    home,
    ['registry', 'add', registry.host, '--username', registry.username],
    `${wrong}\n`,
  )
  assert.equal(replaced.code, 0, replaced.stderr)
  const refused = await run(['deploy', app, '--json'], false)
  assert.notEqual(refused.code, 0)
  const failed = JSON.parse(refused.stdout) as Deployment
  assert.equal(failed.status, 'failed')
  assert.equal(failed.error?.code, 'REGISTRY_AUTH_FAILED', failed.error?.message)
  assert.equal((await get(httpPort, `${app}.test`)).body, 'v2\n')
  const wrongAuth = Buffer.from(`${registry.username}:${wrong}`).toString('base64')
  const found = sh(
    `find ~${server.user}/.${CLI_PREFIX} -type f | xargs -r -d '\\n' grep -lsF -e '${wrong}' -e '${wrongAuth}' || true`,
  )
  assert.equal(found, '', 'the refused login is not left on the server')
  noLogin()

  await run(['registry', 'remove', registry.host])
  assert.deepEqual(JSON.parse((await run(['registry', 'list', '--json'])).stdout), [])
  assert.equal(await keychained(), null, 'the password left the keychain')
  assert.equal(await keychained(), null, 'the password left the keychain')
})

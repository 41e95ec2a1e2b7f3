/**
 * The GitHub connection through the core's API, against the local GitHub stand-in
 * (test/support/github-standin.ts, plain HTTP on 127.0.0.1): GitHub itself cannot be reached from the
 * test machine, so HELVETIA_GITHUB_URL and HELVETIA_GITHUB_API_URL point the core at the stand-in,
 * which speaks the documented API and records what it was sent. The relay is real (127.0.0.1), and so
 * is the keychain (a service of each test's own).
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { GitHubSignInProgress } from '../../src-main/api/contract'
import { deployKeyPair } from '../../src-main/core/apps/deploy-key'
import { openDatabase } from '../../src-main/core/store/database'
import { postWebhook, pushPayload, testRelay } from '../support/relay'
import { gitHubBed, signIn } from './github-support'
import { deployKeyAccount, webhookSecretAccount } from '../../src-main/core/vault/accounts'

const blob = (key: string) => key.split(' ').slice(0, 2).join(' ')
const appId = (home: string, name: string): string => {
  const db = openDatabase(home)
  const id = db.prepare<[string], { id: string }>('SELECT id FROM apps WHERE name = ?').get(name)?.id
  db.close()
  return id ?? ''
}

test('sign-in streams the code then the account; status, repos and sign-out', async (t) => {
  const { standIn, core } = await gitHubBed(t)
  standIn.addRepo({ owner: 'octo-helvetia', name: 'shop', pushedAt: '2025-03-01T10:00:00Z' })
  standIn.addRepo({ owner: 'someone-else', name: 'theirs', permission: 'push' })
  assert.equal(await core.api['github:status'](), null)

  standIn.devicePlan = ['authorization_pending', 'approved']
  const progress: GitHubSignInProgress[] = []
  for await (const item of core.api['github:sign-in'](undefined, new AbortController().signal)) {
    progress.push(item)
  }
  const [code, done] = progress
  assert.equal(progress.length, 2)
  assert.equal(code?.type === 'code' && code.userCode, standIn.lastUserCode)
  assert.equal(code?.type === 'code' && code.verificationUri, `${standIn.webUrl}/login/device`)
  assert.ok(code?.type === 'code' && Date.parse(code.expiresAt) > Date.now(), 'the code expires later')
  assert.deepEqual(done, {
    type: 'signed-in',
    login: standIn.user.login,
    name: standIn.user.name,
    scopes: ['repo', 'admin:repo_hook'],
  })
  assert.deepEqual(await core.api['github:status'](), { login: standIn.user.login, name: standIn.user.name })
  assert.deepEqual(
    (await core.api['github:repos']()).map((r) => [r.fullName, r.defaultBranch, r.sshUrl]),
    [['octo-helvetia/shop', 'main', 'git@github.com:octo-helvetia/shop.git']],
  )

  const { revokeUrl, signedOut } = await core.api['github:sign-out']()
  assert.equal(revokeUrl, `${standIn.webUrl}/settings/connections/applications/${standIn.clientId}`)
  assert.equal(signedOut, true)
  assert.equal(await core.api['github:status'](), null)
  assert.equal((await core.api['github:sign-out']()).signedOut, false, 'nothing left to forget')
})

test('an app from a picked repository: read-only deploy key, private half in the keychain, app stored, webhook added', async (t) => {
  const { standIn, vault, core } = await gitHubBed(t)
  const relay = await testRelay(t)
  standIn.addRepo({ owner: 'octo-helvetia', name: 'shop', private: true })

  // Not signed in, or not a GitHub repository: the secret is shown once, for the user to paste.
  core.apps.create({ name: 'other', server: 'edge-1', source: { kind: 'folder', path: '/srv/other' } })
  const pasted = await core.api['push:connect']({
    name: 'other',
    relay: relay.relay.url,
    token: relay.relay.token,
  })
  assert.equal(pasted.github, null)
  assert.equal(pasted.secret, await vault.get(webhookSecretAccount(appId(core.home, 'other'))))
  assert.match(pasted.url, /^http:\/\/127\.0\.0\.1:\d+\//)

  await signIn(vault, standIn)
  standIn.requests.length = 0
  const startedAt = Date.now()
  const created = await core.api['github:create-app']({
    name: 'shop',
    server: 'edge-1',
    repo: 'octo-helvetia/shop',
    port: 8080,
  })
  assert.deepEqual(
    standIn.requests.map((r) => `${r.method} ${r.path.split('?')[0]}`),
    [
      'GET /user/repos', // the default branch of the picked repository
      'POST /repos/octo-helvetia/shop/keys',
      'GET /repos/octo-helvetia/shop/hooks',
      'POST /repos/octo-helvetia/shop/hooks',
    ],
  )

  // The app: GitHub's SSH URL on the default branch, with the deploy key's public half.
  const { app } = created
  assert.equal(app.source.kind, 'git')
  if (app.source.kind !== 'git') return
  assert.equal(app.source.url, 'git@github.com:octo-helvetia/shop.git')
  assert.equal(app.source.branch, 'main')
  assert.deepEqual(
    core.apps.list().find((a) => a.name === 'shop'),
    app,
  )

  // The key: read-only on the repository, its private half in the keychain only.
  const [key, ...more] = standIn.keysOf('octo-helvetia/shop')
  assert.equal(more.length, 0)
  assert.equal(key?.read_only, true)
  assert.equal(key?.title, 'Helvetia: shop on edge-1')
  assert.equal(key && blob(key.key), blob(app.source.deployKey?.publicKey ?? ''))
  const privateKey = await vault.get(deployKeyAccount(appId(core.home, 'shop')))
  assert.ok(privateKey, 'the private half is in the keychain')
  assert.equal(blob(deployKeyPair({ privateKey }, 'check').publicKey), key && blob(key.key))

  // The webhook: on the repository with the secret the relay checks, which is not shown.
  assert.equal(created.webhook?.secret, null)
  assert.deepEqual(created.webhook?.github, { created: true })
  const [hook] = standIn.hooksOf('octo-helvetia/shop')
  assert.deepEqual(
    { url: hook?.config.url, type: hook?.config.content_type, events: hook?.events, active: hook?.active },
    { url: created.webhook?.url, type: 'json', events: ['push'], active: true },
  )
  const secret = await vault.get(webhookSecretAccount(appId(core.home, 'shop')))
  assert.ok(secret && hook?.config.secret === secret, 'GitHub signs with the secret the relay checks')
  const posted = await postWebhook(created.webhook?.url ?? '', {
    secret,
    body: pushPayload('refs/heads/main'),
  })
  assert.equal(posted.status, 202, JSON.stringify(posted.body))
  const deliveries = await core.api['push:deliveries']({ name: 'shop' })
  assert.deepEqual(
    deliveries.map((d) => d.status),
    ['received'],
  )
  const { connectedAt, ...status } = (await core.api['push:status']({ name: 'shop' })) ?? {}
  assert.deepEqual(status, { relay: relay.relay.url, branch: 'main', watcher: null })
  // Connected by create-app above: a time within this test, not just any value.
  const connected = Date.parse(connectedAt ?? '')
  assert.ok(connected >= startedAt && connected <= Date.now(), String(connectedAt))

  // Connecting again: the relay gives a new URL and secret, and the same hook moves to them.
  const again = await core.api['push:connect']({ name: 'shop', relay: relay.relay.url })
  assert.deepEqual(again.github, { created: false })
  const hooks = standIn.hooksOf('octo-helvetia/shop')
  const rotated = await vault.get(webhookSecretAccount(appId(core.home, 'shop')))
  assert.deepEqual(
    hooks.map((h) => [h.id, h.config.url, h.config.secret]),
    [[hook?.id, again.url, rotated]],
  )
  assert.notEqual(rotated, secret)

  // A taken name is refused before GitHub is asked for a key.
  await assert.rejects(
    core.api['github:create-app']({ name: 'shop', server: 'edge-1', repo: 'octo-helvetia/shop' }),
    { code: 'APP_EXISTS' },
  )
  assert.equal(standIn.keysOf('octo-helvetia/shop').length, 1)
})

/**
 * One behaviour from two faces through one handler (`push:connect`): signed in to GitHub, connecting an
 * app whose repository is on GitHub registers it with the relay and adds the webhook to the
 * repository, which then holds the secret (it is never shown). From the CLI (`helvetia app
 * connect-webhook`, the real binary) and from the web mode's API over its WebSocket, as the browser
 * page calls it. GitHub is the local stand-in (test/support/github-standin.ts: GitHub itself cannot be
 * reached from here); the relay and the keychain are real.
 */
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { openDatabase } from '../../src-main/core/store/database'
import {
  GITHUB_TOKEN_ACCOUNT,
  relayTokenAccount,
  webhookSecretAccount,
} from '../../src-main/core/vault/accounts'
import { createKeytarVault, type Vault } from '../../src-main/core/vault/vault'
import { startWebServer } from '../../src-main/web/web-server'
import { helvetia } from '../support/cli'
import { standInEnv, startGitHubStandIn, type GitHubStandIn } from '../support/github-standin'
import { requireKeychain } from '../support/keychain'
import { postWebhook, pushPayload, testRelay } from '../support/relay'
import { tempHome } from '../support/temp-home'
import { apiOverWebSocket } from '../support/web-api'
import { gitHubBed, signIn } from './github-support'

const REPO = 'octo-helvetia/shop'
const GIT_URL = `https://github.com/${REPO}.git`

/**
 * The repository has exactly one webhook, to `url`, signed with the secret the keychain keeps for the
 * app (so the relay accepts what GitHub posts), and a push GitHub signs with it reaches the relay.
 */
async function assertHookOnGitHub(standIn: GitHubStandIn, url: string, vault: Vault, home: string) {
  const [hook, ...more] = standIn.hooksOf(REPO)
  assert.equal(more.length, 0, 'one webhook')
  assert.deepEqual(
    { url: hook?.config.url, type: hook?.config.content_type, events: hook?.events, active: hook?.active },
    { url, type: 'json', events: ['push'], active: true },
  )
  const db = openDatabase(home)
  const { id } = db.prepare<[], { id: string }>("SELECT id FROM apps WHERE name = 'shop'").get() ?? { id: '' }
  db.close()
  const secret = await vault.get(webhookSecretAccount(id))
  assert.ok(secret && hook?.config.secret === secret, 'GitHub signs with the secret the relay checks')
  const posted = await postWebhook(url, { secret, body: pushPayload('refs/heads/main') })
  assert.equal(posted.status, 202, JSON.stringify(posted.body))
  return { secret, appId: id }
}

test('helvetia app connect-webhook adds the webhook on GitHub, as the UI does', async (t) => {
  if (!requireKeychain(t)) return
  const standIn = await startGitHubStandIn(t)
  standIn.addRepo({ owner: 'octo-helvetia', name: 'shop' })
  const relay = await testRelay(t)
  const home = tempHome(t)
  // The CLI reads Helvetia's own keychain service: signed in there, as `helvetia github login` leaves it.
  const vault = createKeytarVault()
  await vault.set(GITHUB_TOKEN_ACCOUNT, standIn.issueToken())
  t.after(() => vault.delete(GITHUB_TOKEN_ACCOUNT))
  t.after(() => vault.delete(relayTokenAccount(relay.relay.url)))
  const tokenFile = join(home, 'relay-token')
  writeFileSync(tokenFile, relay.relay.token)
  const run = async (args: string[]) => {
    const result = await helvetia(home, args, '', standInEnv(standIn))
    assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`)
    return result.stdout
  }
  await run(['server', 'add', 'here', '--local'])
  await run(['app', 'create', 'shop', '--server', 'here', '--git', GIT_URL])

  const connect = ['app', 'connect-webhook', 'shop', '--relay', relay.relay.url]
  const connected = JSON.parse(await run([...connect, '--relay-token-file', tokenFile, '--json'])) as {
    url: string
    secret: string | null
  }
  assert.deepEqual(Object.keys(connected), ['url', 'secret'])
  assert.equal(connected.secret, null, 'GitHub holds the secret: it is not shown')
  const { secret, appId } = await assertHookOnGitHub(standIn, connected.url, vault, home)
  t.after(() => vault.delete(webhookSecretAccount(appId)))

  // Again (the relay token now kept): the same hook moves to the new URL and secret, said in words.
  const again = await run(connect)
  assert.match(
    again,
    /^shop is registered with the relay; pushes to main will deploy it\.\nUpdated the webhook/,
  )
  const [moved] = standIn.hooksOf(REPO)
  const rotated = await assertHookOnGitHub(standIn, moved?.config.url ?? '', vault, home)
  assert.notEqual(rotated.secret, secret)
  assert.ok(!again.includes(rotated.secret), 'the secret is not printed')
})

test('push:connect over the web API adds the webhook on GitHub and tells every open face', async (t) => {
  const { standIn, vault, core } = await gitHubBed(t)
  standIn.addRepo({ owner: 'octo-helvetia', name: 'shop' })
  const relay = await testRelay(t)
  await signIn(vault, standIn)
  const web = await startWebServer({ api: core.api, root: core.home })
  t.after(() => web.close())
  const api = await apiOverWebSocket(t, web)
  await api.call('apps:create', { name: 'shop', server: 'edge-1', source: { kind: 'git', url: GIT_URL } })

  const told = once(core.changes, 'push')
  const connected = await api.call('push:connect', {
    name: 'shop',
    relay: relay.relay.url,
    token: relay.relay.token,
  })
  assert.deepEqual(connected.github, { created: true })
  assert.equal(connected.secret, null, 'GitHub holds the secret: it is not shown')
  await assertHookOnGitHub(standIn, connected.url, vault, core.home)
  await told
})

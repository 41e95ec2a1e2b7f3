// The GitHub client over real HTTP against a local stand-in (test/support/github-standin.ts):
// GitHub itself cannot be reached from the test machine (no internet), so the stand-in speaks the
// documented API. The vault here is an in-memory one implementing the Vault interface, since the
// keychain is not the point; test/integration/cli-github.test.ts stores the token in the real one.
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import ssh2 from 'ssh2'
import type { DeviceCode } from '../../src-main/core/github/device-flow'
import { createGitHub } from '../../src-main/core/github/github'
import { githubEndpoints, HELVETIA_GITHUB_CLIENT_ID } from '../../src-main/core/github/github-endpoints'
import type { Vault } from '../../src-main/core/vault/vault'
import { POLL_JITTER_MS, standInEnv, startGitHubStandIn } from '../support/github-standin'
import { failsWith } from '../support/user-error'
import { GITHUB_TOKEN_ACCOUNT } from '../../src-main/core/vault/accounts'

function memoryVault(): Vault & { secrets: Map<string, string> } {
  const secrets = new Map<string, string>()
  return {
    secrets,
    get: async (account) => secrets.get(account) ?? null,
    set: async (account, secret) => void secrets.set(account, secret),
    delete: async (account) => secrets.delete(account),
  }
}

async function setup(t: TestContext, signedIn = true) {
  const standIn = await startGitHubStandIn(t)
  const vault = memoryVault()
  if (signedIn) await vault.set(GITHUB_TOKEN_ACCOUNT, standIn.issueToken())
  const github = createGitHub({ vault, endpoints: githubEndpoints(standInEnv(standIn)) })
  return { standIn, vault, github }
}

const SHA = 'a'.repeat(40)

test('device flow: pending, slow_down, then a token, polling no sooner than the interval', async (t) => {
  const { standIn, vault, github } = await setup(t, false)
  standIn.deviceInterval = 1
  standIn.devicePlan = ['authorization_pending', 'slow_down', 'approved']
  const shown: DeviceCode[] = []
  const user = await github.signIn({ onCode: (code) => shown.push(code) })

  assert.equal(shown.length, 1)
  assert.equal(shown[0]?.userCode, standIn.lastUserCode)
  assert.equal(shown[0]?.verificationUri, `${standIn.webUrl}/login/device`)
  assert.equal(user.login, standIn.user.login)
  assert.deepEqual(user.scopes, ['repo', 'admin:repo_hook'])
  assert.deepEqual(
    standIn.polls.map((p) => p.answer),
    ['authorization_pending', 'slow_down', 'approved'],
  )
  assert.equal(standIn.earlyPolls, 0, 'never polled sooner than the interval')
  // It waited at least the interval before each poll, and 5 s more after slow_down.
  const at = [standIn.codeIssuedAt, ...standIn.polls.map((p) => p.at)]
  const gaps = at.slice(1).map((time, i) => time - (at[i] ?? 0))
  assert.ok((gaps[0] ?? 0) >= 1000 - POLL_JITTER_MS, `first poll after ${gaps[0]} ms`)
  assert.ok((gaps[1] ?? 0) >= 1000 - POLL_JITTER_MS, `second poll after ${gaps[1]} ms`)
  assert.ok((gaps[2] ?? 0) >= 6000 - POLL_JITTER_MS, `poll after slow_down after ${gaps[2]} ms`)

  const token = vault.secrets.get(GITHUB_TOKEN_ACCOUNT)
  assert.ok(token && standIn.tokens.has(token), 'the issued token is in the vault')
  assert.equal(vault.secrets.size, 1)
})

test('device flow: an expired code and a refusal end the sign-in, storing nothing', async (t) => {
  const { standIn, vault, github } = await setup(t, false)
  standIn.deviceInterval = 1
  const onCode = (): void => {}

  standIn.devicePlan = ['authorization_pending', 'expired_token']
  await assert.rejects(github.signIn({ onCode }), failsWith('GITHUB_CODE_EXPIRED'))
  assert.equal(standIn.polls.length, 2)

  standIn.devicePlan = ['access_denied']
  await assert.rejects(
    github.signIn({ onCode }),
    failsWith('GITHUB_ACCESS_DENIED', (e) => assert.match(e.hint ?? '', /Authorize/)),
  )
  assert.equal(vault.secrets.size, 0)
})

test('device flow: a code that runs out while waiting is given up without asking again', async (t) => {
  const { standIn, github } = await setup(t, false)
  standIn.deviceInterval = 1
  standIn.deviceExpiresIn = 1
  standIn.devicePlan = ['authorization_pending']
  await assert.rejects(github.signIn({ onCode: () => {} }), failsWith('GITHUB_CODE_EXPIRED'))
  // The client's own deadline or GitHub's expired_token (whichever comes first) ends it.
  assert.ok(standIn.polls.length <= 2, `${standIn.polls.length} polls`)
})

test('device flow: aborting while waiting stops polling and stores nothing', async (t) => {
  const { standIn, vault, github } = await setup(t, false)
  standIn.deviceInterval = 1
  standIn.devicePlan = ['authorization_pending']
  const abort = new AbortController()
  const reason = new Error('cancelled by the test')
  const signIn = github.signIn({
    onCode: () => setTimeout(() => abort.abort(reason), 1500),
    signal: abort.signal,
  })
  await assert.rejects(signIn, (error) => error === reason)
  const polls = standIn.polls.length
  assert.equal(polls, 1, 'one poll at 1 s, aborted before the next')
  await new Promise((resolve) => setTimeout(resolve, 1200))
  assert.equal(standIn.polls.length, polls, 'no poll after the abort')
  assert.equal(vault.secrets.size, 0)
})

test('device flow: an OAuth app without the device flow is named as the problem', async (t) => {
  const { standIn } = await setup(t, false)
  const github = createGitHub({
    vault: memoryVault(),
    endpoints: githubEndpoints({ ...standInEnv(standIn), HELVETIA_GITHUB_CLIENT_ID: 'not-the-app' }),
  })
  await assert.rejects(
    github.signIn({ onCode: () => assert.fail('no code for a wrong client id') }),
    failsWith('GITHUB_SIGN_IN_FAILED', (e) => assert.match(e.hint ?? '', /HELVETIA_GITHUB_CLIENT_ID/)),
  )
})

test('every REST call carries the versioned media type, the API version, the token and a User-Agent', async (t) => {
  const { standIn, vault, github } = await setup(t)
  const user = await github.currentUser()
  assert.deepEqual(user, { login: standIn.user.login, name: standIn.user.name })
  const [request] = standIn.requests
  assert.equal(request?.headers.accept, 'application/vnd.github+json')
  assert.equal(request?.headers['x-github-api-version'], '2022-11-28')
  assert.equal(request?.headers.authorization, `Bearer ${vault.secrets.get(GITHUB_TOKEN_ACCOUNT)}`)
  assert.match(request?.headers['user-agent'] ?? '', /^Helvetia/)
})

test('the repo picker gathers 3 pages through the Link header, admin repos only, last pushed first', async (t) => {
  const { standIn, github } = await setup(t)
  const start = Date.UTC(2025, 0, 1)
  for (let i = 0; i < 250; i++) {
    standIn.addRepo({
      owner: i % 2 ? 'octo-helvetia' : 'helvetia-org',
      name: `repo-${i}`,
      private: i % 3 === 0,
      permission: i % 5 === 0 ? 'push' : 'admin',
      pushedAt: new Date(start + ((i * 7919) % 250) * 60_000).toISOString(),
    })
  }
  const repos = await github.listAdminRepos()

  const pages = standIn.requests.filter((r) => r.path.startsWith('/user/repos'))
  assert.equal(pages.length, 3)
  assert.match(pages[0]?.path ?? '', /sort=pushed/)
  assert.match(pages[0]?.path ?? '', /per_page=100/)
  assert.match(pages[2]?.path ?? '', /page=3/)
  assert.equal(repos.length, 200, 'the 50 push-only repositories are left out')
  const pushed = repos.map((r) => r.pushedAt ?? '')
  assert.deepEqual(pushed, [...pushed].sort().reverse(), 'most recently pushed first')
  const sample = repos.find((r) => r.fullName === 'helvetia-org/repo-6')
  assert.deepEqual(sample, {
    fullName: 'helvetia-org/repo-6',
    owner: 'helvetia-org',
    name: 'repo-6',
    private: true,
    defaultBranch: 'main',
    sshUrl: 'git@github.com:helvetia-org/repo-6.git',
    htmlUrl: `${standIn.webUrl}/helvetia-org/repo-6`,
    pushedAt: sample?.pushedAt,
  })
})

test('a Link header that leaves the API is not followed (the token would go with it)', async (t) => {
  const { standIn, github } = await setup(t)
  for (let i = 0; i < 101; i++) standIn.addRepo({ owner: 'octo-helvetia', name: `r${i}` })
  standIn.linkOrigin = 'http://127.0.0.2:9'
  await assert.rejects(github.listAdminRepos(), failsWith('GITHUB_BAD_RESPONSE'))
  assert.equal(standIn.requests.length, 1)
})

test('the webhook is created once, then updated in place with a new secret', async (t) => {
  const { standIn, github } = await setup(t)
  standIn.addRepo({ owner: 'octo-helvetia', name: 'shop' })
  const url = 'https://relay.example.com/hooks/app-1'
  const input = { owner: 'octo-helvetia', repo: 'shop', url, secret: 'first-secret' }

  const created = await github.ensureWebhook(input)
  assert.equal(created.created, true)
  const [hook] = standIn.hooksOf('octo-helvetia/shop')
  assert.deepEqual(hook, {
    id: created.id,
    name: 'web',
    active: true,
    events: ['push'],
    config: { url, content_type: 'json', secret: 'first-secret', insecure_ssl: '0' },
  })

  if (hook) hook.active = false
  const again = await github.ensureWebhook({ ...input, secret: 'rotated-secret' })
  assert.deepEqual(again, { id: created.id, created: false })
  assert.equal(standIn.hooksOf('octo-helvetia/shop').length, 1, 'not duplicated')
  assert.equal(hook?.config.secret, 'rotated-secret')
  assert.equal(hook?.active, true)
  assert.deepEqual(
    standIn.requests.map((r) => r.method),
    ['GET', 'POST', 'GET', 'PATCH'],
  )

  // Another URL is another hook.
  const other = await github.ensureWebhook({ ...input, url: 'https://relay.example.com/hooks/app-2' })
  assert.equal(other.created, true)
  assert.equal(standIn.hooksOf('octo-helvetia/shop').length, 2)
})

test('a read-only deploy key is added and its private half handed back', async (t) => {
  const { standIn, github } = await setup(t)
  standIn.addRepo({ owner: 'octo-helvetia', name: 'shop', private: true })
  const key = await github.addDeployKey({
    owner: 'octo-helvetia',
    repo: 'shop',
    title: 'Helvetia: shop on web-1',
  })

  const [stored] = standIn.keysOf('octo-helvetia/shop')
  assert.equal(stored?.id, key.id)
  assert.equal(stored?.title, 'Helvetia: shop on web-1')
  assert.equal(stored?.read_only, true)
  const parsed = ssh2.utils.parseKey(key.privateKey)
  assert.ok(!(parsed instanceof Error))
  const derived = `${parsed.type} ${parsed.getPublicSSH().toString('base64')}`
  assert.equal(stored?.key, derived, 'GitHub holds the public half of the returned private key')
  assert.ok(!JSON.stringify(standIn.requests).includes('PRIVATE KEY'), 'the private key never left')
})

test('commit statuses: pending, then success, under helvetia/deploy', async (t) => {
  const { standIn, github } = await setup(t)
  const repo = standIn.addRepo({ owner: 'octo-helvetia', name: 'shop', permission: 'push' })
  repo.commits.add(SHA)
  const target = { owner: 'octo-helvetia', repo: 'shop', sha: SHA.toUpperCase() }
  await github.setCommitStatus({ ...target, state: 'pending', description: 'Deploying to web-1' })
  await github.setCommitStatus({
    ...target,
    state: 'success',
    description: `Deployed ${'x'.repeat(200)}`,
    targetUrl: 'https://helvetia.example.com/apps/shop/deployments/7',
  })
  const statuses = standIn.statusesOf('octo-helvetia/shop')
  assert.deepEqual(
    statuses.map((s) => [s.sha, s.state, s.context]),
    [
      [SHA, 'pending', 'helvetia/deploy'],
      [SHA, 'success', 'helvetia/deploy'],
    ],
  )
  assert.equal(statuses[0]?.description, 'Deploying to web-1')
  assert.equal(statuses[0]?.target_url, null)
  assert.equal(statuses[1]?.description?.length, 140, 'cut to what GitHub keeps')
  assert.equal(statuses[1]?.target_url, 'https://helvetia.example.com/apps/shop/deployments/7')
})

test('GitHub errors become UserErrors that say what to do', async (t) => {
  const { standIn, vault, github } = await setup(t)
  const repo = standIn.addRepo({ owner: 'octo-helvetia', name: 'shop' })
  standIn.addRepo({ owner: 'someone-else', name: 'theirs', permission: 'pull' })

  // 404: a repository that is missing, or that this account cannot administer.
  for (const name of ['missing', 'theirs']) {
    await assert.rejects(
      github.addDeployKey({
        owner: name === 'theirs' ? 'someone-else' : 'octo-helvetia',
        repo: name,
        title: 'k',
      }),
      failsWith('GITHUB_NOT_FOUND', (e) => assert.match(e.hint ?? '', /admin access/)),
    )
  }

  // 422: GitHub's own message is shown.
  await assert.rejects(
    github.setCommitStatus({ owner: 'octo-helvetia', repo: 'shop', sha: SHA, state: 'success' }),
    failsWith('GITHUB_VALIDATION_FAILED', (e) => assert.match(e.message, /No commit found for SHA: a{40}/)),
  )
  repo.commits.add(SHA)

  // 403 with the rate limit used up: says when it resets.
  standIn.rateLimitRemaining = 0
  const reset = new Date(standIn.rateLimitReset * 1000).toISOString()
  await assert.rejects(
    github.listAdminRepos(),
    failsWith('GITHUB_RATE_LIMITED', (e) => {
      assert.ok(e.message.includes(reset), e.message)
      assert.ok(e.hint?.includes(reset), e.hint)
    }),
  )
  standIn.rateLimitRemaining = 5000

  // 401: the token was revoked on GitHub.
  const token = vault.secrets.get(GITHUB_TOKEN_ACCOUNT) ?? ''
  standIn.tokens.delete(token)
  await assert.rejects(
    github.currentUser(),
    failsWith('GITHUB_TOKEN_INVALID', (e) => {
      assert.match(e.hint ?? '', /sign in to GitHub again/i)
      assert.ok(!`${e.message} ${e.hint}`.includes(token), 'the token is never in a message')
    }),
  )

  // Not signed in at all.
  await github.signOut()
  await assert.rejects(github.listAdminRepos(), failsWith('GITHUB_NOT_SIGNED_IN'))
})

test('names and ids are validated before anything is sent', async (t) => {
  const { standIn, github } = await setup(t)
  const bad = [
    () => github.ensureWebhook({ owner: '../user', repo: 'x', url: 'https://a.example/h', secret: 's' }),
    () => github.ensureWebhook({ owner: 'octo', repo: '..', url: 'https://a.example/h', secret: 's' }),
    () => github.ensureWebhook({ owner: 'octo', repo: 'a/b', url: 'https://a.example/h', secret: 's' }),
    () => github.ensureWebhook({ owner: 'octo', repo: 'shop', url: 'file:///etc/passwd', secret: 's' }),
    () => github.ensureWebhook({ owner: 'octo', repo: 'shop', url: 'https://a.example/h', secret: '' }),
    () => github.addDeployKey({ owner: '-octo', repo: 'shop', title: 't' }),
    () => github.setCommitStatus({ owner: 'octo', repo: 'shop', sha: 'HEAD', state: 'success' }),
    () => github.setCommitStatus({ owner: 'octo', repo: 'shop', sha: `${SHA}?x`, state: 'success' }),
    () =>
      github.setCommitStatus({
        owner: 'octo',
        repo: 'shop',
        sha: SHA,
        state: 'done' as unknown as 'success',
      }),
    () =>
      github.setCommitStatus({
        owner: 'octo',
        repo: 'shop',
        sha: SHA,
        state: 'error',
        targetUrl: 'javascript:x',
      }),
  ]
  for (const call of bad) await assert.rejects(call(), failsWith('GITHUB_INPUT_INVALID'))
  assert.equal(standIn.requests.length, 0)
})

test('the endpoints default to GitHub and refuse to send the token over plain HTTP elsewhere', () => {
  assert.deepEqual(githubEndpoints({}), {
    webUrl: 'https://github.com',
    apiUrl: 'https://api.github.com',
    clientId: HELVETIA_GITHUB_CLIENT_ID,
  })
  assert.equal(
    githubEndpoints({ HELVETIA_GITHUB_API_URL: 'https://ghe.example.com/api/v3/' }).apiUrl,
    'https://ghe.example.com/api/v3',
  )
  for (const value of ['http://ghe.example.com', 'https://user:pw@ghe.example.com', 'ftp://x', 'nope']) {
    assert.throws(
      () => githubEndpoints({ HELVETIA_GITHUB_API_URL: value }),
      failsWith('GITHUB_CONFIG_INVALID'),
    )
  }
  assert.throws(
    () => githubEndpoints({ HELVETIA_GITHUB_CLIENT_ID: 'a b' }),
    failsWith('GITHUB_CONFIG_INVALID'),
  )
})

// `helvetia github …` through the real binary, against the local GitHub stand-in
// (test/support/github-standin.ts): GitHub itself cannot be reached from the test machine (no
// internet), so HELVETIA_GITHUB_URL, HELVETIA_GITHUB_API_URL and HELVETIA_GITHUB_CLIENT_ID point the
// command at the stand-in. The token goes to the real OS keychain (gnome-keyring over D-Bus).
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import type { GitHubRepo } from '../../src-main/core/github/repos'
import { createKeytarVault } from '../../src-main/core/vault/vault'
import { helvetia } from '../support/cli'
import { standInEnv, startGitHubStandIn } from '../support/github-standin'
import { requireKeychain } from '../support/keychain'
import { tempHome } from '../support/temp-home'
import { GITHUB_TOKEN_ACCOUNT } from '../../src-main/core/vault/accounts'

test('github login prints the code, waits for GitHub, and keeps the token in the keychain; logout forgets it', async (t) => {
  if (!requireKeychain(t)) return
  const standIn = await startGitHubStandIn(t)
  const home = tempHome(t)
  const env = standInEnv(standIn)
  const vault = createKeytarVault()
  t.after(() => vault.delete(GITHUB_TOKEN_ACCOUNT))
  standIn.addRepo({ owner: 'octo-helvetia', name: 'shop', pushedAt: '2025-03-01T10:00:00Z' })
  standIn.addRepo({ owner: 'helvetia-org', name: 'site', private: true, pushedAt: '2025-03-02T10:00:00Z' })
  standIn.addRepo({ owner: 'someone-else', name: 'theirs', permission: 'pull' })

  standIn.deviceInterval = 1
  standIn.devicePlan = ['authorization_pending', 'approved']
  const login = await helvetia(home, ['github', 'login'], '', env)
  assert.equal(login.code, 0, login.stderr)
  assert.ok(login.stderr.includes(standIn.lastUserCode), login.stderr)
  assert.ok(login.stderr.includes(`${standIn.webUrl}/login/device`), login.stderr)
  assert.equal(login.stdout.trim(), `Signed in to GitHub as ${standIn.user.login}.`)
  assert.deepEqual(
    standIn.polls.map((p) => p.answer),
    ['authorization_pending', 'approved'],
  )

  const token = await vault.get(GITHUB_TOKEN_ACCOUNT)
  assert.ok(token && standIn.tokens.has(token), 'the issued token is in the keychain')
  assert.ok(!`${login.stdout}${login.stderr}`.includes(token), 'the token is never printed')
  for (const file of readdirSync(home)) {
    assert.ok(!readFileSync(join(home, file)).includes(token), `${file} holds the token`)
  }

  const repos = await helvetia(home, ['github', 'repos', '--json'], '', env)
  assert.equal(repos.code, 0, repos.stderr)
  assert.deepEqual(
    (JSON.parse(repos.stdout) as GitHubRepo[]).map((r) => r.fullName),
    ['helvetia-org/site', 'octo-helvetia/shop'],
  )
  const table = await helvetia(home, ['github', 'repos'], '', env)
  assert.match(
    table.stdout,
    /^REPOSITORY\s+VISIBILITY\s+BRANCH\s+PUSHED\nhelvetia-org\/site\s+private\s+main/,
  )

  const logout = await helvetia(home, ['github', 'logout'], '', env)
  assert.equal(logout.code, 0, logout.stderr)
  assert.ok(logout.stdout.includes(`${standIn.webUrl}/settings/connections/applications/${standIn.clientId}`))
  assert.equal(await vault.get(GITHUB_TOKEN_ACCOUNT), null)

  const after = await helvetia(home, ['github', 'repos'], '', env)
  assert.equal(after.code, 1)
  assert.equal(after.stderr.trim().split('\n').length, 1, 'one line on stderr')
  assert.match(after.stderr, /not signed in to GitHub.*helvetia github login/)
})

test('github login reports a refused sign-in on one line and stores nothing', async (t) => {
  if (!requireKeychain(t)) return
  const standIn = await startGitHubStandIn(t)
  const home = tempHome(t)
  const vault = createKeytarVault()
  t.after(() => vault.delete(GITHUB_TOKEN_ACCOUNT))
  standIn.deviceInterval = 1
  standIn.devicePlan = ['access_denied']
  const login = await helvetia(home, ['github', 'login', '--json'], '', standInEnv(standIn))
  assert.equal(login.code, 1)
  assert.equal(login.stdout, '')
  assert.match(
    login.stderr.trim().split('\n').at(-1) ?? '',
    /^helvetia: The GitHub sign-in was cancelled on GitHub/,
  )
  assert.equal(await vault.get(GITHUB_TOKEN_ACCOUNT), null)
})

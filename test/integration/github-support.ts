/**
 * What the tests of the GitHub connection share: a keychain service of the test's own (the GitHub
 * token's account is one for the whole keychain, and other tests sign in and out at the same time),
 * and the core pointed at the local GitHub stand-in (GitHub itself cannot be reached from here).
 */
import { randomUUID } from 'node:crypto'
import type { TestContext } from 'node:test'
import { createCore, type Core } from '../../src-main/core/create-core'
import { openDatabase } from '../../src-main/core/store/database'
import { createServerStore } from '../../src-main/core/store/server-store'
import { createKeytarVault, type Vault } from '../../src-main/core/vault/vault'
import { standInEnv, startGitHubStandIn, type GitHubStandIn } from '../support/github-standin'
import { APP_ROOT, tempHome } from '../support/temp-home'
import { GITHUB_TOKEN_ACCOUNT } from '../../src-main/core/vault/accounts'

/** A vault on a keychain service of this test's own; whatever the test stored is deleted after it. */
export function ownVault(t: TestContext): Vault {
  const vault = createKeytarVault(`Helvetia-test-${randomUUID()}`)
  const accounts = new Set<string>()
  t.after(async () => {
    for (const account of accounts) await vault.delete(account)
  })
  return {
    get: (account) => vault.get(account),
    set: (account, secret) => (accounts.add(account), vault.set(account, secret)),
    delete: (account) => vault.delete(account),
  }
}

/** Points the cores this process creates next at the stand-in (createGitHub reads the environment). */
export function useStandIn(standIn: GitHubStandIn): void {
  Object.assign(process.env, standInEnv(standIn))
}

/** Signs the vault in as the stand-in's user, as an approved device flow would have. */
export const signIn = (vault: Vault, standIn: GitHubStandIn): Promise<void> =>
  vault.set(GITHUB_TOKEN_ACCOUNT, standIn.issueToken())

/** A core in a fresh data folder with one server record (`edge-1`, never connected to), on `vault`. */
export function storeOnlyCore(t: TestContext, vault: Vault): Core {
  const home = tempHome(t)
  const db = openDatabase(home)
  createServerStore(db).insert({
    id: randomUUID(),
    name: 'edge-1',
    host: '127.0.0.1',
    port: 2222,
    user: 'deploy',
    auth: 'agent',
    keyPath: null,
    hostKeyFingerprint: null,
    createdAt: new Date().toISOString(),
  })
  db.close()
  const core = createCore({ home, appRoot: APP_ROOT, vault, face: 'test' })
  t.after(() => core.close())
  return core
}

/** What a GitHub test starts from: the stand-in, a vault of its own and a core pointed at both. */
export async function gitHubBed(
  t: TestContext,
): Promise<{ standIn: GitHubStandIn; vault: Vault; core: Core }> {
  const standIn = await startGitHubStandIn(t)
  useStandIn(standIn)
  const vault = ownVault(t)
  return { standIn, vault, core: storeOnlyCore(t, vault) }
}

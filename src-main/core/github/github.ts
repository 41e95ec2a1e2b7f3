import { UserError } from '../errors'
import { GITHUB_TOKEN_ACCOUNT } from '../vault/accounts'
import type { Vault } from '../vault/vault'
import { addDeployKey, deleteDeployKey, type DeployKey, type DeployKeyInput } from './deploy-keys'
import { runDeviceFlow, type DeviceCode } from './device-flow'
import { createGitHubApi, type GitHubApi } from './github-api'
import { githubEndpoints, GITHUB_SCOPES, type GitHubEndpoints } from './github-endpoints'
import { setCommitStatus, type CommitStatusInput } from './commit-statuses'
import type { RepoRef } from './repo-ref'
import { currentUser, listAdminRepos, type GitHubRepo, type GitHubUser } from './repos'
import { ensureWebhook, type Webhook, type WebhookInput } from './webhooks'

export interface GitHubOptions {
  vault: Vault
  /** Default: github.com and api.github.com, or what the environment says (see githubEndpoints). */
  endpoints?: GitHubEndpoints
}

export interface SignInOptions {
  /** Show the user this code and address; sign-in completes once they have entered it. */
  onCode: (code: DeviceCode) => void
  signal?: AbortSignal
}

/**
 * The GitHub connection, for every face: sign-in with the device flow, the token kept in the vault
 * (never on disk, never logged), and the calls app creation and deploys make with it.
 */
export function createGitHub({ vault, endpoints = githubEndpoints() }: GitHubOptions) {
  const api = async (): Promise<GitHubApi> => {
    const token = await vault.get(GITHUB_TOKEN_ACCOUNT)
    if (!token) {
      throw new UserError(
        'GITHUB_NOT_SIGNED_IN',
        'Helvetia is not signed in to GitHub.',
        'Sign in first (`helvetia github login`).',
      )
    }
    return createGitHubApi({ apiUrl: endpoints.apiUrl, token })
  }

  return {
    endpoints,

    /** Device-flow sign-in; the token is checked against the API, then stored. Resolves the account. */
    async signIn({ onCode, signal }: SignInOptions): Promise<GitHubUser & { scopes: string[] }> {
      const { accessToken, scopes } = await runDeviceFlow({
        webUrl: endpoints.webUrl,
        clientId: endpoints.clientId,
        scope: GITHUB_SCOPES,
        onCode,
        signal,
      })
      const user = await currentUser(
        createGitHubApi({ apiUrl: endpoints.apiUrl, token: accessToken }),
        signal,
      )
      await vault.set(GITHUB_TOKEN_ACCOUNT, accessToken)
      return { ...user, scopes }
    },

    /**
     * Forgets the token; resolves false when there was none. Revoking Helvetia's access on GitHub's
     * side needs the client secret, so the user does that at `revokeUrl`.
     */
    signOut: (): Promise<boolean> => vault.delete(GITHUB_TOKEN_ACCOUNT),
    /** Whether a token is kept (it may have been revoked since: only a call to GitHub tells). */
    signedIn: async (): Promise<boolean> => (await vault.get(GITHUB_TOKEN_ACCOUNT)) !== null,
    revokeUrl: `${endpoints.webUrl}/settings/connections/applications/${endpoints.clientId}`,

    currentUser: async (signal?: AbortSignal): Promise<GitHubUser> => currentUser(await api(), signal),
    listAdminRepos: async (signal?: AbortSignal): Promise<GitHubRepo[]> =>
      listAdminRepos(await api(), signal),
    ensureWebhook: async (input: WebhookInput, signal?: AbortSignal): Promise<Webhook> =>
      ensureWebhook(await api(), input, signal),
    addDeployKey: async (input: DeployKeyInput, signal?: AbortSignal): Promise<DeployKey> =>
      addDeployKey(await api(), input, signal),
    deleteDeployKey: async (input: RepoRef & { id: number }, signal?: AbortSignal): Promise<void> =>
      deleteDeployKey(await api(), input, signal),
    setCommitStatus: async (input: CommitStatusInput, signal?: AbortSignal): Promise<void> =>
      setCommitStatus(await api(), input, signal),
  }
}

export type GitHub = ReturnType<typeof createGitHub>

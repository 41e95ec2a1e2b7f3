import { UserError } from '../errors'
import { generateKeyPair } from '../ssh/key-pair'
import type { GitHubApi } from './github-api'
import { repoPath, type RepoRef } from './repo-ref'

export interface DeployKeyInput extends RepoRef {
  /** How the key is listed in the repository's settings, e.g. `Helvetia: web on web-1`. */
  title: string
}

export interface DeployKey {
  id: number
  publicKey: string
  /** OpenSSH private key: the caller keeps it in the vault, and only there. */
  privateKey: string
}

/**
 * Generates an ed25519 key pair and adds its public half to the repository as a read-only deploy
 * key, so a server can clone that one repository and nothing else.
 */
export async function addDeployKey(
  api: GitHubApi,
  input: DeployKeyInput,
  signal?: AbortSignal,
): Promise<DeployKey> {
  const path = `${repoPath(input)}/keys`
  const pair = generateKeyPair(`helvetia-deploy@${input.owner}/${input.repo}`.slice(0, 100))
  const title = input.title.trim() || `Helvetia (${input.owner}/${input.repo})`
  const key = await api.request<{ id: number }>('POST', path, {
    body: { title, key: pair.publicKey, read_only: true },
    signal,
    notFound: `GitHub has no repository ${input.owner}/${input.repo} whose deploy keys this account can manage.`,
  })
  return { id: key.id, publicKey: pair.publicKey, privateKey: pair.privateKey }
}

/**
 * Deletes the repository's deploy key `id`. A key that is not there (any more) counts as deleted:
 * GitHub answers 404 for it, as for a repository the token may not administer, and a caller that
 * just added a key to that repository knows it may.
 */
export async function deleteDeployKey(
  api: GitHubApi,
  input: RepoRef & { id: number },
  signal?: AbortSignal,
): Promise<void> {
  if (!Number.isSafeInteger(input.id) || input.id <= 0)
    throw new TypeError(`Not a deploy key id: ${input.id}`)
  try {
    await api.request('DELETE', `${repoPath(input)}/keys/${input.id}`, { signal })
  } catch (error) {
    if (!(error instanceof UserError && error.code === 'GITHUB_NOT_FOUND')) throw error
  }
}

import { UserError } from '../errors'
import type { GitHubApi } from './github-api'
import { checkSha, repoPath, type RepoRef } from './repo-ref'

export type CommitState = 'pending' | 'success' | 'failure' | 'error'

/** The status's name on the commit: one line per context in GitHub's checks list. */
export const DEPLOY_STATUS_CONTEXT = 'helvetia/deploy'

export interface CommitStatusInput extends RepoRef {
  sha: string
  state: CommitState
  /** One short line, e.g. `Deploying to web-1` (GitHub keeps 140 characters). */
  description?: string
  /** Where the status links to: the deployment's log. */
  targetUrl?: string
  context?: string
}

const STATES: readonly string[] = ['pending', 'success', 'failure', 'error']
const DESCRIPTION_MAX = 140

/** Sets the commit's status, as shown beside the commit and its pull request on GitHub. */
export async function setCommitStatus(
  api: GitHubApi,
  input: CommitStatusInput,
  signal?: AbortSignal,
): Promise<void> {
  const sha = checkSha(input.sha)
  if (!STATES.includes(input.state)) {
    throw new UserError(
      'GITHUB_INPUT_INVALID',
      `Not a commit status: ${JSON.stringify(input.state)}.`,
      `Use one of ${STATES.join(', ')}.`,
    )
  }
  if (input.targetUrl !== undefined && !/^https?:\/\//.test(input.targetUrl)) {
    throw new UserError(
      'GITHUB_INPUT_INVALID',
      `A status links to an http(s) address, not ${JSON.stringify(input.targetUrl)}.`,
      'Give a full https:// URL, or none.',
    )
  }
  const description =
    input.description && input.description.length > DESCRIPTION_MAX
      ? `${input.description.slice(0, DESCRIPTION_MAX - 1)}…`
      : input.description
  await api.request('POST', `${repoPath(input)}/statuses/${sha}`, {
    body: {
      state: input.state,
      context: input.context ?? DEPLOY_STATUS_CONTEXT,
      description,
      target_url: input.targetUrl,
    },
    signal,
    notFound: `GitHub has no repository ${input.owner}/${input.repo} whose commit statuses this account can set.`,
  })
}

import type { DeployEvent } from '../deploy/deploy-log'
import type { ScriptRunner } from '../remote/script-runner'
import type { Target } from '../targets/target'
import { COMMIT, validateBranch, validateCommit, validateGitUrl } from './git-source'

export interface GitFetchOptions {
  prefix: string
  app: string
  url: string
  /**
   * The app's branch (default: the remote's HEAD), resolved on the server: its tip deploys when no
   * `commit` is given, and a `commit` deploys only when it is on it (else GIT_COMMIT_NOT_ON_BRANCH).
   */
  branch?: string
  commit?: string
  /** An OpenSSH private key: on the server only as a 0600 file for the fetch's ssh, removed after it. */
  deployKey?: string
  /** The fetch's steps (`resolve`, `fetch`) and log lines. */
  onEvent?: (event: DeployEvent) => void
  signal?: AbortSignal
}

export interface GitFetchResult {
  commit: string
  /** The branch resolved. */
  branch: string | null
}

/**
 * Brings the commit to deploy into the server's copy of the app's repository (~/.PREFIX/apps/APP/git),
 * resolving the branch there first: the server, not this machine, talks to the git host, with the
 * deploy key and the host keys it knows. Throws the script's UserError (GIT_HOST_KEY_UNKNOWN,
 * GIT_AUTH_FAILED, GIT_BRANCH_MISSING, GIT_COMMIT_MISSING, GIT_COMMIT_NOT_ON_BRANCH, …) when it cannot.
 */
export async function fetchGitSource(
  target: Target,
  scripts: ScriptRunner,
  options: GitFetchOptions,
): Promise<GitFetchResult> {
  const input = {
    prefix: options.prefix,
    app: options.app,
    url: validateGitUrl(options.url),
    branch: options.branch === undefined ? undefined : validateBranch(options.branch),
    commit: options.commit === undefined ? undefined : validateCommit(options.commit),
  }
  const { facts } = await scripts.call(target, 'git.fetch', input, {
    stdin: options.deployKey ?? '',
    signal: options.signal,
    onEvent: (event) => {
      if (event.type === 'step') options.onEvent?.(event)
      else if (event.type === 'log') options.onEvent?.({ type: 'log', line: event.line })
    },
  })
  const commit = facts.commit ?? ''
  if (!COMMIT.test(commit)) throw new Error(`git-fetch.sh reported no commit: ${JSON.stringify(commit)}`)
  return { commit, branch: facts.branch ?? null }
}

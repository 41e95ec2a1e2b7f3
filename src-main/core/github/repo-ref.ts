import { UserError } from '../errors'

/** A repository on GitHub: `owner/repo`. */
export interface RepoRef {
  owner: string
  repo: string
}

// GitHub's rules: an account is letters, digits and hyphens (up to 39, not starting with a hyphen);
// a repository is letters, digits, `.`, `-` and `_` (up to 100), never `.` or `..`.
const OWNER = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/
const REPO = /^(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/
const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/

/** The API path of a repository, `/repos/{owner}/{repo}`, from validated and encoded names. */
export function repoPath(ref: RepoRef): string {
  const { owner, repo } = checkRepo(ref)
  return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`
}

/** A full commit id (SHA-1, or SHA-256 for repositories that use it), lower-cased. */
export function checkSha(sha: string): string {
  const lower = sha.toLowerCase()
  if (!SHA.test(lower)) {
    throw new UserError(
      'GITHUB_INPUT_INVALID',
      `Not a full commit id: ${JSON.stringify(sha)}.`,
      'Give the 40-character hexadecimal commit id (as `git rev-parse HEAD` prints).',
    )
  }
  return lower
}

function checkRepo(ref: RepoRef): RepoRef {
  if (!OWNER.test(ref.owner) || !REPO.test(ref.repo)) {
    throw new UserError(
      'GITHUB_INPUT_INVALID',
      `Not a GitHub repository name: ${JSON.stringify(`${ref.owner}/${ref.repo}`)}.`,
      'Give it as OWNER/REPO, like octocat/hello-world.',
    )
  }
  return ref
}

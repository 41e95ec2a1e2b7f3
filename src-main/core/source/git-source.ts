import { UserError } from '../errors'
import { PATTERNS, whole } from '../rules/patterns'

/**
 * What a git source may name: the URL forms, branches and commits Helvetia accepts, with the same rules
 * remote-scripts/lib/git-source.sh applies again on the server.
 */

/** The characters a git URL may hold. */
export const GIT_URL = whole(PATTERNS.gitUrl)
export const COMMIT = whole(PATTERNS.commit)
/** Beside it, `git check-ref-format` on the server and `refName` here. */
export const BRANCH = whole(PATTERNS.branch)

const URL_HINT =
  'Use an https:// URL for a public repository, or an SSH URL (git@github.com:owner/repo.git or ' +
  'ssh://user@host/path) with a deploy key for a private one.'

/**
 * https://host/path, ssh://[user@]host[:port]/path, [user@]host:path, or a path on the server
 * (/path, file:///path). git's other transports and remote helpers (`ext::…`) are refused; so are
 * plain http:// and git://, which nothing authenticates.
 */
export function validateGitUrl(url: string): string {
  const form =
    GIT_URL.test(url) &&
    !url.includes('::') &&
    (/^(https|ssh):\/\/[^/]+\/./.test(url) ||
      /^file:\/\/\/./.test(url) ||
      /^\/./.test(url) ||
      (!url.includes('://') && /^[^:]+:[^:]/.test(url)))
  if (!form) {
    throw new UserError('INVALID_OPTION', `Invalid git URL: ${JSON.stringify(url)}.`, URL_HINT, {
      field: 'url',
    })
  }
  if (/^https:\/\/[^/@]*:[^/@]*@/.test(url)) {
    throw new UserError(
      'INVALID_OPTION',
      'The git URL holds a password or token.',
      'Helvetia keeps credentials only in the OS keychain: use the SSH URL with a deploy key (--generate-deploy-key).',
      { field: 'url' },
    )
  }
  return url
}

/** Whether git reaches `url` over SSH (where a deploy key applies). */
export function isSshGitUrl(url: string): boolean {
  return url.startsWith('ssh://') || (!url.includes('://') && !url.startsWith('/'))
}

export function validateBranch(branch: string): string {
  const valid =
    BRANCH.test(branch) &&
    !/\.\.|\/\/|\/\.|\.lock(\/|$)|[./]$/.test(branch) &&
    !branch.split('/').some((part) => part.startsWith('.'))
  if (!valid) {
    throw new UserError(
      'INVALID_OPTION',
      `Invalid branch: ${JSON.stringify(branch)}.`,
      'Give a branch name such as main or release/2.1.',
      { field: 'branch' },
    )
  }
  return branch
}

export function validateCommit(commit: string): string {
  if (!COMMIT.test(commit)) {
    throw new UserError(
      'INVALID_OPTION',
      `Invalid commit: ${JSON.stringify(commit)}.`,
      'Give the full 40-character commit id (`git rev-parse SHORT` prints it).',
      { field: 'commit' },
    )
  }
  return commit
}

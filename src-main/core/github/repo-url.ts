import { repoPath, type RepoRef } from './repo-ref'

/** The SSH URL a server clones a GitHub repository with, using its deploy key. */
export const githubSshUrl = ({ owner, repo }: RepoRef): string => `git@github.com:${owner}/${repo}.git`

/**
 * The GitHub repository a git URL names, or null for any other host: `git@HOST:owner/repo(.git)`,
 * `ssh://git@HOST/owner/repo(.git)` or `https://HOST/owner/repo(.git)`, where HOST is github.com or
 * `webHost` (GitHub Enterprise). Names are checked again where the API uses them (repo-ref.ts).
 */
export function githubRepoOf(url: string, webHost = 'github.com'): RepoRef | null {
  const hosts = new Set(['github.com', webHost.toLowerCase()])
  const scp = /^git@([^:/]+):([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url)
  const full = /^(?:ssh:\/\/git@|https:\/\/)([^/:@]+)(?::\d+)?\/([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url)
  const [, host, owner, repo] = scp ?? full ?? []
  return host && owner && repo && hosts.has(host.toLowerCase()) ? { owner, repo } : null
}

/** `owner/repo` as the repo list gives it (fullName), checked. */
export function parseFullName(fullName: string): RepoRef {
  const parts = fullName.split('/')
  const ref = { owner: parts[0] ?? '', repo: parts.length === 2 ? (parts[1] ?? '') : '' }
  repoPath(ref)
  return ref
}

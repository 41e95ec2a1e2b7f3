import type { GitHubAccount, GitHubRepoSummary } from '../../api/github'
import type { GitHubApi } from './github-api'

/** The API's types: what the faces show is what GitHub gives. */
export type GitHubUser = GitHubAccount
export type GitHubRepo = GitHubRepoSummary

interface ApiRepo {
  full_name: string
  name: string
  owner: { login: string }
  private: boolean
  default_branch: string
  ssh_url: string
  html_url: string
  pushed_at: string | null
  permissions?: { admin?: boolean }
}

/** The signed-in account. */
export async function currentUser(api: GitHubApi, signal?: AbortSignal): Promise<GitHubUser> {
  const user = await api.request<{ login: string; name?: string | null }>('GET', '/user', { signal })
  return { login: user.login, name: user.name ?? null }
}

/**
 * The repo picker's list: every repository the user owns, collaborates on or reaches through an
 * organization, most recently pushed first, keeping those with admin permission (GitHub's list has
 * no such filter, so it is applied here).
 */
export async function listAdminRepos(api: GitHubApi, signal?: AbortSignal): Promise<GitHubRepo[]> {
  const repos = await api.paginate<ApiRepo>('/user/repos?sort=pushed&direction=desc&per_page=100', {
    signal,
  })
  return repos
    .filter((r) => r.permissions?.admin === true)
    .map((r) => ({
      fullName: r.full_name,
      owner: r.owner.login,
      name: r.name,
      private: r.private,
      defaultBranch: r.default_branch,
      sshUrl: r.ssh_url,
      htmlUrl: r.html_url,
      pushedAt: r.pushed_at,
    }))
}

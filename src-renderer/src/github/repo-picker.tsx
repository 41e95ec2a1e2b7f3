import { useEffect, useId, useState } from 'react'
import type { GitHubAccount, GitHubRepoSummary } from '../../../src-main/api/contract'
import { api } from '../session-store'
import { Button } from '../ui/button'
import { ErrorNote } from '../ui/error-note'
import { TextField } from '../ui/field'
import { LockIcon } from '../ui/icons'
import { runTask, type Task } from '../ui/task'
import './github.css'
import { GitHubSignIn } from './github-sign-in'

/**
 * The New app form's "From GitHub": sign in (device flow), then pick one of the repositories the
 * account administers. Picking fills in the form's repository URL (GitHub's SSH URL) and branch; the
 * app is then created with a read-only deploy key and, when a relay is known, its webhook.
 */
export function GitHubRepoPicker({ onPick }: { onPick: (repo: GitHubRepoSummary) => void }) {
  const [account, setAccount] = useState<Task<GitHubAccount | null>>({ status: 'running' })
  const [repos, setRepos] = useState<Task<GitHubRepoSummary[]> | null>(null)
  const [search, setSearch] = useState('')
  const [picked, setPicked] = useState<string | null>(null)
  const titleId = useId()

  const load = async (): Promise<void> => {
    const signedIn = await runTask(() => api().call('github:status'), setAccount)
    if (signedIn) await runTask(() => api().call('github:repos'), setRepos)
  }
  useEffect(() => void load(), [])

  const signOut = async (): Promise<void> => {
    await runTask(
      () => api().call('github:sign-out'),
      () => undefined,
    )
    setRepos(null)
    setPicked(null)
    await load()
  }

  const terms = search.trim().toLowerCase()
  const shown =
    repos?.status === 'done' ? repos.value.filter((r) => r.fullName.toLowerCase().includes(terms)) : []

  return (
    <section className="github-picker stack" aria-labelledby={titleId}>
      <h3 id={titleId} className="github-picker-title">
        From GitHub
      </h3>
      {account.status === 'running' ? (
        <p className="muted">Checking the GitHub connection…</p>
      ) : account.status === 'failed' ? (
        <ErrorNote failure={account.failure} />
      ) : account.value === null ? (
        <>
          <p className="muted">
            Sign in to pick a repository: Helvetia adds a read-only deploy key for the server and the push
            webhook for you.
          </p>
          <GitHubSignIn onSignedIn={() => void load()} />
        </>
      ) : (
        <>
          <div className="github-account">
            <span>
              Signed in as <strong>{account.value.login}</strong>
            </span>
            <Button variant="ghost" onClick={() => void signOut()}>
              Sign out
            </Button>
          </div>
          <TextField
            label="Search repositories"
            type="search"
            value={search}
            onChange={setSearch}
            spellCheck={false}
            autoComplete="off"
          />
          {repos === null || repos.status === 'running' ? (
            <p className="muted">Listing your repositories…</p>
          ) : repos.status === 'failed' ? (
            <ErrorNote failure={repos.failure} />
          ) : shown.length === 0 ? (
            <p className="muted">
              {repos.value.length === 0
                ? 'No repositories this account administers (deploy keys and webhooks need admin access).'
                : 'No repository matches.'}
            </p>
          ) : (
            <ul className="repo-list" aria-label="Repositories">
              {shown.map((repo) => (
                <li key={repo.fullName}>
                  <button
                    type="button"
                    className="repo-option"
                    aria-pressed={picked === repo.fullName}
                    onClick={() => {
                      setPicked(repo.fullName)
                      onPick(repo)
                    }}
                  >
                    <span className="repo-name mono">{repo.fullName}</span>
                    <span className="repo-meta">
                      {repo.private && (
                        <span className="chip">
                          <LockIcon />
                          private
                        </span>
                      )}
                      <span className="chip mono">{repo.defaultBranch}</span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          {picked && (
            <p className="muted" role="status">
              {picked} is picked: Helvetia adds a read-only deploy key to it when the app is created.
            </p>
          )}
        </>
      )}
    </section>
  )
}

/** An app name from the repository's: a DNS label (lowercase letters, digits and dashes, up to 40). */
export const suggestedAppName = (repo: GitHubRepoSummary): string =>
  repo.name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '')

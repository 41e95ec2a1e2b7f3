import type { Apps } from '../apps/apps'
import type { CommitState } from './commit-statuses'
import type { GitHub } from './github'
import { githubRepoOf } from './repo-url'

/** A status call waits this long at most: GitHub being slow never holds up the end of a deploy. */
const STATUS_TIMEOUT_MS = 15_000

/**
 * Apps whose deploys set the `helvetia/deploy` commit status on GitHub: `pending` once the deployment
 * has started on the server (that is when the commit is known, a branch being resolved there), then
 * `success` or `failure`. Every deploy goes through `apps.deploy` (desktop, CLI, push watcher), so this
 * is the one place. Only for apps whose repository is on GitHub, and only when signed in; a status that
 * cannot be set is a warning line in the deploy's log, never a failed deploy.
 */
export function withCommitStatuses(apps: Apps, github: GitHub): Apps {
  const webHost = new URL(github.endpoints.webUrl).hostname

  const deploy: Apps['deploy'] = async (name, options = {}) => {
    const app = apps.find(name)
    const repo = app?.source.kind === 'git' ? githubRepoOf(app.source.url, webHost) : null
    if (!app || !repo || !(await github.signedIn())) return apps.deploy(name, options)

    const report = (sha: string, state: CommitState, description: string): Promise<void> =>
      github
        .setCommitStatus({ ...repo, sha, state, description }, AbortSignal.timeout(STATUS_TIMEOUT_MS))
        .catch((error: unknown) =>
          options.onEvent?.({
            type: 'log',
            line: `Warning: the ${state} commit status was not set on GitHub: ${error instanceof Error ? error.message : String(error)}`,
          }),
        )
    let started: { id: string; commit: string } | null = null
    let pending: Promise<void> = Promise.resolve()
    try {
      const deployment = await apps.deploy(name, {
        ...options,
        onEvent: (event) => {
          options.onEvent?.(event)
          if (event.type === 'started' && event.commit) {
            started = { id: event.id, commit: event.commit }
            pending = report(event.commit, 'pending', `Deploying to ${app.server} (${event.id})`)
          }
        },
      })
      await pending
      const commit = deployment.source.kind === 'git' ? deployment.source.id : null
      if (commit) {
        await report(
          commit,
          deployment.status === 'succeeded' ? 'success' : 'failure',
          deployment.status === 'succeeded'
            ? `Deployed to ${app.server} (${deployment.id})`
            : `Deployment ${deployment.id} failed: ${deployment.error?.message ?? deployment.status}`,
        )
      }
      return deployment
    } catch (error) {
      // Started but not followed to its end (the connection was lost): GitHub should not wait forever.
      const known = started as { id: string; commit: string } | null
      if (known) {
        await pending
        await report(known.commit, 'error', `Helvetia lost track of deployment ${known.id}`)
      }
      throw error
    }
  }

  return { ...apps, deploy }
}

/** Creating an app from the New app form: through GitHub when the repository is one picked there. */
import type { AppSummary, CreateAppInput } from '../../../src-main/api/contract'
import { GITHUB_SSH_URL } from '../../../src-main/api/github'
import { useApps } from '../apps/apps-store'
import { api } from '../session-store'

/**
 * `apps:create`, except for GitHub's SSH URL while signed in: then `github:create-app`, which adds
 * the read-only deploy key (and the webhook, when a relay is known) the server needs to fetch it.
 */
export async function createApp(input: CreateAppInput): Promise<AppSummary> {
  const match = input.source.kind === 'git' ? GITHUB_SSH_URL.exec(input.source.url) : null
  if (!match || input.source.kind !== 'git' || !(await api().call('github:status'))) {
    return useApps.getState().create(input)
  }
  const { source, ...rest } = input
  const created = await api().call('github:create-app', {
    ...rest,
    repo: `${match[1]}/${match[2]}`,
    ...(source.branch ? { branch: source.branch } : {}),
  })
  return created.app
}

import type { Apps } from '../apps/apps'
import { UserError } from '../errors'

/**
 * Deploys the commit a push names: `apps.deploy` with `commit` builds exactly that commit of the app's
 * repository (git sources), once the server found it on the app's branch (else GIT_COMMIT_NOT_ON_BRANCH
 * and nothing starts); `beforeStart` runs just before the deployment starts. An app deployed from a
 * local folder has no repository to take it from.
 */
export async function deployPushedCommit(
  apps: Apps,
  name: string,
  commit: string,
  beforeStart?: () => Promise<void>,
) {
  if (apps.find(name)?.source.kind !== 'git') {
    throw new UserError(
      'PUSH_NEEDS_GIT_SOURCE',
      `${name} deploys from a local folder, so a push cannot deploy it.`,
      'Create the app from its repository: `helvetia app create NAME --git URL --branch BRANCH`.',
    )
  }
  return apps.deploy(name, { commit, trigger: 'push', ...(beforeStart ? { beforeStart } : {}) })
}

/**
 * The error catalogue's codes of image apps and registry logins (core/images,
 * remote-scripts/lib/deploy-pull.sh), spread into ./errors.ts.
 */
import type { RaisedBy } from './error-raisers'

export const IMAGE_ERRORS = {
  REGISTRY_AUTH_FAILED: {
    means:
      'The registry refused the pull: the login this computer holds for it is wrong (or there is none and the image is private). Add it again with `helvetia registry add HOST --username USER`. The deployment failed, the previous version still serves, and no login was left on the server.',
    raisedBy: ['apps:deploy', 'apps:rollback'],
  },
  IMAGE_NOT_FOUND: {
    means:
      'The registry has no image by that reference (a misspelt repository, tag or digest; Docker Hub also says so for a private image without a login). The previous version still serves.',
    raisedBy: ['apps:deploy', 'apps:rollback'],
  },
  IMAGE_PULL_FAILED: {
    means:
      '`docker pull` failed on the server for another reason (the registry unreachable, a timeout, a full disk); its last line is in the message. The previous version still serves.',
    raisedBy: ['apps:deploy', 'apps:rollback'],
  },
  REGISTRY_NOT_FOUND: {
    means: 'This computer holds no login for that registry: see `helvetia registry list`.',
    raisedBy: ['registries:remove'],
  },
} as const satisfies Record<string, { means: string; raisedBy: readonly RaisedBy[] }>

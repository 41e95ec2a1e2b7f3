/**
 * The error catalogue's codes of app volumes and release commands (a deployment's error, and the
 * removal's choice), spread into ./errors.ts.
 */
import type { RaisedBy } from './error-raisers'

export const VOLUME_ERRORS = {
  RELEASE_FAILED: {
    means:
      'The app’s release command exited non-zero (or ran out of time) before the switch: the deployment failed, its output is in the deployment’s log and its last lines in the error, and the previous version still serves.',
    raisedBy: ['apps:deploy'],
  },
  VOLUME_TAKEN: {
    means:
      'The Docker volume an app volume would be (PREFIX-APP-NAME) exists and is not this app’s: give the volume another name.',
    raisedBy: ['apps:deploy', 'apps:rollback'],
  },
  VOLUME_FOLDER_MISSING: {
    means:
      'A host folder the app binds does not exist on the server: create it there, or change the app’s volumes.',
    raisedBy: ['apps:deploy', 'apps:rollback'],
  },
  VOLUME_FAILED: {
    means: 'Docker could not create the app’s volume on the server (its message is in the deployment’s log).',
    raisedBy: ['apps:deploy', 'apps:rollback'],
  },
  VOLUME_NOT_FOUND: { means: 'The app has no such volume to remove.', raisedBy: ['cli'] },
  VOLUMES_CHOICE_NEEDED: {
    means:
      'The app has volumes: say whether to keep them (`--keep-volumes`, `volumes: "keep"`) or delete them with their data (`--delete-volumes`, `volumes: "delete"`). Nothing was removed.',
    raisedBy: ['apps:remove', 'cli'],
  },
} as const satisfies Record<string, { means: string; raisedBy: readonly RaisedBy[] }>

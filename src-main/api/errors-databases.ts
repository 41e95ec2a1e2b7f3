/** The error codes of databases (core/databases, remote-scripts/db-*.sh): part of ./errors.ts. */
import type { RaisedBy } from './error-raisers'
import { BACKED_UP } from './errors-backups'

export const DATABASE_ERRORS = {
  DATABASE_NOT_FOUND: {
    means: 'No database by that name on any reachable server: see `helvetia db list`.',
    raisedBy: ['databases:info', 'databases:reveal', 'databases:remove', ...BACKED_UP],
  },
  DATABASE_EXISTS: {
    means: 'A database by that name exists already (`field`: name): pick another name.',
    raisedBy: ['databases:create'],
  },
  NAME_IN_USE: {
    means:
      'An app on that server has the name (`field`: name): databases and apps on one server need different names.',
    raisedBy: ['databases:create'],
  },
  DATABASE_VOLUME_KEPT: {
    means:
      'A data volume of that name was kept on the server with other credentials than this computer holds: remove the volume, or create the database from the computer that kept it.',
    raisedBy: ['databases:create'],
  },
  DATABASE_START_FAILED: {
    means: 'The database’s container did not start or did not accept connections: see its log on the server.',
    raisedBy: ['databases:create'],
  },
  DATABASE_LINKED: {
    means: 'Apps use the database: unlink them before removing it.',
    raisedBy: ['databases:remove'],
  },
  CREDENTIALS_MISSING: {
    means: 'The database’s credentials are not in this keychain (it was created on another computer).',
    raisedBy: ['databases:reveal'],
  },
  CONFIRMATION_NEEDED: {
    means: 'A command that deletes data was not confirmed: answer on a terminal or pass --yes.',
    raisedBy: ['cli'],
  },
} as const satisfies Record<string, { means: string; raisedBy: readonly RaisedBy[] }>

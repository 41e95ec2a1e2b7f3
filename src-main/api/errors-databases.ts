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
  // Databases linked to apps and reached from this computer (core/databases: links, tunnel, shell).
  DATABASE_OTHER_SERVER: {
    means:
      'The app runs on another server than the database: a link reaches only its own server’s network. Link a database on the app’s server.',
    raisedBy: ['databases:link', 'databases:unlink'],
  },
  ENV_KEY_IN_USE: {
    means:
      'The app has that env variable already, set by something else than this link: link under another key (`--as`) or unset it first.',
    raisedBy: ['databases:link'],
  },
  DATABASE_NOT_LINKED: {
    means: 'The app is not linked to that database: see its linked apps.',
    raisedBy: ['databases:unlink'],
  },
  DATABASE_NOT_RUNNING: {
    means:
      'The database’s container is not running (or not on Helvetia’s network) on its server: see its state, start or create it again.',
    raisedBy: ['databases:tunnel', 'terminals:open'],
  },
  PORT_IN_USE: {
    means: 'The local port asked for is taken: give another, or none for a free one.',
    raisedBy: ['databases:tunnel'],
  },
} as const satisfies Record<string, { means: string; raisedBy: readonly RaisedBy[] }>

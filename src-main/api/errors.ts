/**
 * The API's error catalogue: every code an error from Helvetia may carry, what it means and what to
 * do, and which methods raise it. An error's own message and hint say more about each case. The
 * README's "API errors" section is generated from this (src-main/tooling/api-errors-readme.ts), and
 * tests keep both complete: every code the core raises is here, and the README lists what is here.
 * Codes are stable: scripts rely on them. Shared by main and renderer: plain data only.
 */
import {
  ABOUT_AN_APP,
  KEYCHAIN,
  ON_GITHUB,
  ON_RELAY,
  ON_SERVER,
  RUNS_SCRIPTS,
  type RaisedBy,
} from './error-raisers'
import { BACKUP_ERRORS } from './errors-backups'
import { CATALOG_ERRORS } from './errors-catalog'
import { DATABASE_ERRORS } from './errors-databases'
import { RESTORE_ERRORS } from './errors-restores'
import { SCHEDULE_ERRORS } from './errors-schedules'
import { VOLUME_ERRORS } from './errors-volumes'
import { PROCESS_ERRORS } from './errors-processes'

export interface ErrorInfo {
  /** What happened, and what to do about it. */
  means: string
  raisedBy: readonly RaisedBy[]
}

export const API_ERRORS = {
  // The API itself.
  INVALID_INPUT: {
    means:
      'The input does not have the shape the method declares (a missing or misspelt key, a wrong type); `field` names the value. Fix it as the hint says.',
    raisedBy: ['every method'],
  },
  UNKNOWN_METHOD: {
    means:
      'No such method in the contract (or not of the kind asked for): the client and the core differ in version?',
    raisedBy: ['every method'],
  },
  INTERNAL: {
    means:
      'An error Helvetia did not expect and has no code for; the message says what failed. Please report it.',
    raisedBy: [],
  },

  // Values the core checks.
  INVALID_OPTION: {
    means:
      'A setting is out of its rules (a port, a domain, a memory limit, a branch, …); `field` names it and the hint gives the expected form.',
    raisedBy: [
      'apps:create',
      'apps:update',
      'apps:deploy',
      'github:create-app',
      'servers:provision',
      'push:install-relay',
      'push:connect',
      'databases:create',
      'databases:schedule',
      'cli',
    ],
  },
  INVALID_SERVER: {
    means: 'A value of a new server is wrong (name, host, port, user, key file); `field` names it.',
    raisedBy: ['servers:add', 'cli'],
  },
  INVALID_PREFIX: { means: 'HELVETIA_PREFIX is not a lowercase word: set another.', raisedBy: ['cli'] },
  FINGERPRINT_INVALID: {
    means: 'Not an SSH host key fingerprint: give it as `SHA256:…`, as `ssh-keygen -lf` prints it.',
    raisedBy: ['servers:add', 'cli'],
  },
  VALUE_NEEDED: { means: 'An env variable was given without a value: give KEY=VALUE.', raisedBy: ['cli'] },

  // Servers.
  SERVER_NOT_FOUND: {
    means: 'No server by that name (or the app’s server was removed): see the server list.',
    raisedBy: [
      ...ABOUT_AN_APP,
      'servers:remove',
      'servers:check',
      'servers:provision',
      'apps:create',
      'metrics:server',
      'terminals:open',
      'push:install-relay',
      'github:create-app',
      'databases:create',
    ],
  },
  SERVER_EXISTS: {
    means: 'A server by that name exists already: pick another name.',
    raisedBy: ['servers:add'],
  },
  SERVER_HAS_APPS: {
    means: 'The server still has apps: remove them first, or force (they keep running there).',
    raisedBy: ['servers:remove'],
  },
  FACTS_UNREADABLE: {
    means: 'The server’s facts could not be read: see the message.',
    raisedBy: ['servers:check', 'servers:provision'],
  },
  KEY_MISSING: {
    means: 'The server’s key is not in this keychain: add the server again.',
    raisedBy: ON_SERVER,
  },
  KEY_UNREADABLE: {
    means: 'A private key file could not be read or parsed.',
    raisedBy: ['servers:add', ...ON_SERVER, 'cli'],
  },
  KEY_PASSPHRASE_NEEDED: {
    means: 'The key file is encrypted: give its passphrase.',
    raisedBy: ['servers:add'],
  },
  KEY_PASSPHRASE_WRONG: { means: 'The passphrase does not open the key file.', raisedBy: ['servers:add'] },
  KEY_INSTALL_FAILED: {
    means: 'The generated key could not be installed on the server.',
    raisedBy: ['servers:add'],
  },
  PUBLIC_KEY_INVALID: {
    means: 'Not an OpenSSH public key line.',
    raisedBy: ['servers:add', 'apps:rotate-deploy-key'],
  },
  KNOWN_HOSTS_UNREADABLE: {
    means: '~/.ssh/known_hosts could not be read.',
    raisedBy: ['servers:probe-host-key', 'servers:add'],
  },
  HOST_KEY_UNKNOWN: {
    means: 'The server’s host key is not confirmed yet: check its fingerprint and confirm it.',
    raisedBy: ['servers:add', ...ON_SERVER],
  },
  HOST_KEY_MISMATCH: {
    means:
      'The server presented another host key than the one confirmed: a changed server or someone in between. Check before going on.',
    raisedBy: ['servers:probe-host-key', 'servers:add', ...ON_SERVER],
  },
  HOST_KEY_REVOKED: {
    means: 'known_hosts marks the server’s key as revoked.',
    raisedBy: ['servers:add', ...ON_SERVER],
  },
  HOST_KEY_NOT_CONFIRMED: { means: 'The host key was not confirmed at the prompt.', raisedBy: ['cli'] },

  // SSH.
  SSH_UNREACHABLE: {
    means: 'The server could not be reached: check its address, port and network.',
    raisedBy: ['servers:probe-host-key', ...ON_SERVER],
  },
  SSH_HANDSHAKE_FAILED: {
    means: 'The SSH handshake failed.',
    raisedBy: ['servers:probe-host-key', ...ON_SERVER],
  },
  SSH_AUTH_FAILED: {
    means: 'The server refused the login: check the user and the key.',
    raisedBy: ON_SERVER,
  },
  SSH_AGENT_UNAVAILABLE: {
    means: 'No SSH agent to log in with: start one or use a key file.',
    raisedBy: ON_SERVER,
  },
  SSH_CONNECTION_LOST: {
    means: 'The connection dropped during the operation: try again.',
    raisedBy: ON_SERVER,
  },
  SSH_CONNECTION_CLOSED: {
    means: 'The connection was closed before the operation ran.',
    raisedBy: ON_SERVER,
  },
  SSH_CHANNEL_FAILED: {
    means: 'The server refused a new SSH channel (too many open?).',
    raisedBy: ON_SERVER,
  },
  SSH_SESSION_REFUSED: { means: 'The server refused a shell or command session.', raisedBy: ON_SERVER },
  SSH_FORWARD_FAILED: {
    means: 'A port forward through the server failed.',
    raisedBy: ['apps:certificates', 'push:install-relay'],
  },
  SSH_FORWARD_REFUSED: {
    means: 'The server refused a port forward (AllowTcpForwarding?).',
    raisedBy: ['apps:certificates', 'push:install-relay'],
  },

  // Server scripts.
  SCRIPT_FAILED: {
    means:
      'A server script failed without a code of its own; the message has its last line. Server scripts also fail with their own codes (remote-scripts/), passed through unchanged.',
    raisedBy: RUNS_SCRIPTS,
  },
  SCRIPT_UPLOAD_FAILED: {
    means: 'Helvetia’s scripts could not be copied to the server.',
    raisedBy: RUNS_SCRIPTS,
  },
  SCRIPTS_PROTOCOL_NEWER: {
    means:
      'The server runs Helvetia’s scripts of a newer protocol, installed by a newer Helvetia: update Helvetia on this computer (the message names both versions). Older scripts are updated instead.',
    raisedBy: RUNS_SCRIPTS,
  },

  // Apps.
  APP_NOT_FOUND: { means: 'No app by that name: see the app list.', raisedBy: ABOUT_AN_APP },
  APP_EXISTS: {
    means: 'An app by that name exists already: pick another name (`field`: name).',
    raisedBy: ['apps:create', 'github:create-app'],
  },
  DOMAIN_IN_USE: {
    means:
      'Another app on the same server serves that domain; `field` names it. Choose another, or remove it from the other app.',
    raisedBy: ['apps:create', 'apps:update', 'github:create-app'],
  },
  DOMAIN_NOT_FOUND: { means: 'The app has no such domain to remove.', raisedBy: ['cli'] },
  NO_DOMAIN: {
    means: 'The app has no domain and the server has no IP address for a default one: give it a domain.',
    raisedBy: ['apps:deploy', 'apps:rollback', 'push:install-relay'],
  },
  ENV_NOT_FOUND: { means: 'The app has no such env variable.', raisedBy: ['env:unset'] },
  SECRET_MISSING: {
    means: 'A secret’s value is not in this keychain: set it again.',
    raisedBy: ['apps:deploy', 'apps:rollback'],
  },
  KEYCHAIN_UNAVAILABLE: {
    means: 'The OS keychain cannot be reached (no Secret Service?).',
    raisedBy: KEYCHAIN,
  },
  DATABASE_TOO_NEW: {
    means: 'The data folder was written by a newer Helvetia: update Helvetia.',
    raisedBy: ['cli', 'web-mode'],
  },

  // Deploys.
  NOT_FOUND: {
    means: 'No such deployment or kept image.',
    raisedBy: ['apps:rollback', 'apps:deployment-log'],
  },
  NOTHING_TO_ROLL_BACK: {
    means: 'No earlier good deployment whose image is kept.',
    raisedBy: ['apps:rollback'],
  },
  NOT_DEPLOYED: {
    means: 'The app has no running container yet: deploy it first.',
    raisedBy: ['terminals:open'],
  },
  RECORD_WRITE_FAILED: {
    means: 'The server could not record the deployment (disk full?).',
    raisedBy: ['apps:deploy', 'apps:rollback'],
  },
  DOCKERFILE_MISSING: {
    means: 'The folder has no Dockerfile where the app says.',
    raisedBy: ['apps:deploy'],
  },
  UNSUPPORTED_FILE_NAME: {
    means: 'A file name in the folder cannot be sent safely: rename it.',
    raisedBy: ['apps:deploy'],
  },
  LOCAL_FOLDER_OFF: {
    means:
      'The web dashboard may not send a folder of this computer unless started with HELVETIA_WEB_LOCAL=1.',
    raisedBy: ['apps:create', 'apps:deploy'],
  },
  LOCAL_SERVER_OFF: {
    means: 'The web dashboard may not use “this computer” as a server unless allowed.',
    raisedBy: ['servers:add', ...ON_SERVER],
  },
  LOCAL_TERMINAL_OFF: {
    means: 'The web dashboard may not open a shell on this computer unless allowed.',
    raisedBy: ['terminals:open'],
  },

  // Deploy keys.
  DEPLOY_KEY_NONE: {
    means: 'The app has no deploy key (it is not a private repository over SSH).',
    raisedBy: ['apps:deploy-key', 'apps:rotate-deploy-key'],
  },
  DEPLOY_KEY_MISSING: {
    means: 'The deploy key is not in this keychain: rotate it here.',
    raisedBy: ['apps:deploy', 'push:connect'],
  },
  DEPLOY_KEY_NEEDS_SSH: {
    means: 'A deploy key works over SSH only: give the repository’s SSH URL.',
    raisedBy: ['github:create-app', 'cli'],
  },
  DEPLOY_KEY_ENCRYPTED: {
    means: 'The given deploy key has a passphrase: give one without.',
    raisedBy: ['cli'],
  },
  DEPLOY_KEY_NOT_KEPT: {
    means: 'The relay could not keep the app’s deploy key.',
    raisedBy: ['push:connect', 'push:install-relay'],
  },

  // Terminals and containers.
  TERMINAL_LIMIT: { means: 'Too many terminals are open: close one.', raisedBy: ['terminals:open'] },
  TERMINAL_CLOSED: { means: 'The terminal is closed.', raisedBy: ['terminals:input', 'terminals:resize'] },
  CONTAINER_NOT_FOUND: { means: 'The app’s container is gone.', raisedBy: ['terminals:open'] },
  CONTAINER_NOT_RUNNING: { means: 'The app’s container is not running.', raisedBy: ['terminals:open'] },
  CONTAINER_INVALID: {
    means: 'The container name from the server is not one Helvetia made.',
    raisedBy: ['terminals:open'],
  },

  // Metrics.
  METRICS_STREAM_ENDED: {
    means: 'The server’s metrics stream ended; it is started again by itself.',
    raisedBy: ['metrics:server', 'metrics:app'],
  },

  // Push to deploy and relays.
  WEBHOOK_NOT_CONNECTED: {
    means: 'The app has no webhook: connect it to a relay first.',
    raisedBy: ['push:deliveries', 'push:watch-deliveries'],
  },
  PUSH_NEEDS_GIT_SOURCE: {
    means: 'Push to deploy needs an app deployed from a git repository.',
    raisedBy: ['push:connect'],
  },
  RELAY_NOT_GIVEN: {
    means: 'No relay given and none known: install or name one.',
    raisedBy: ['push:connect', 'cli'],
  },
  RELAY_TOKEN_MISSING: {
    means: 'The relay’s token is not known here: give it once.',
    raisedBy: ['push:connect'],
  },
  RELAY_TOKEN_REFUSED: { means: 'The relay refused the token.', raisedBy: ON_RELAY },
  RELAY_UNREACHABLE: { means: 'The relay could not be reached.', raisedBy: ON_RELAY },
  RELAY_ERROR: { means: 'The relay answered with an error.', raisedBy: ON_RELAY },

  // GitHub.
  GITHUB_NOT_SIGNED_IN: { means: 'Not signed in with GitHub: sign in first.', raisedBy: ON_GITHUB },
  GITHUB_TOKEN_INVALID: {
    means: 'GitHub no longer accepts the saved token: sign in again.',
    raisedBy: ON_GITHUB,
  },
  GITHUB_SIGN_IN_FAILED: { means: 'GitHub’s sign-in failed.', raisedBy: ['github:sign-in'] },
  GITHUB_CODE_EXPIRED: {
    means: 'The sign-in code expired before it was entered: start again.',
    raisedBy: ['github:sign-in'],
  },
  GITHUB_ACCESS_DENIED: { means: 'The sign-in was cancelled on GitHub.', raisedBy: ['github:sign-in'] },
  GITHUB_CONFIG_INVALID: {
    means: 'The GitHub endpoints configured for Helvetia are not valid URLs.',
    raisedBy: ['github:sign-in', ...ON_GITHUB],
  },
  GITHUB_UNREACHABLE: { means: 'GitHub could not be reached.', raisedBy: ['github:sign-in', ...ON_GITHUB] },
  GITHUB_BAD_RESPONSE: { means: 'GitHub answered with something unexpected.', raisedBy: ON_GITHUB },
  GITHUB_FORBIDDEN: {
    means: 'GitHub refused: the account lacks the rights (admin of the repository?).',
    raisedBy: ON_GITHUB,
  },
  GITHUB_NOT_FOUND: { means: 'GitHub has no such repository for this account.', raisedBy: ON_GITHUB },
  GITHUB_RATE_LIMITED: {
    means: 'GitHub’s rate limit was reached: wait until it resets.',
    raisedBy: ON_GITHUB,
  },
  GITHUB_VALIDATION_FAILED: { means: 'GitHub refused the request’s content.', raisedBy: ON_GITHUB },
  GITHUB_REQUEST_FAILED: { means: 'A request to GitHub failed.', raisedBy: ON_GITHUB },
  GITHUB_INPUT_INVALID: {
    means: 'A repository name, commit or webhook address is not valid for GitHub.',
    raisedBy: ['github:create-app', 'push:connect', 'apps:deploy'],
  },

  // Databases (core/databases, remote-scripts/db-*.sh).
  ...VOLUME_ERRORS,
  ...CATALOG_ERRORS,
  // Process types and scheduled jobs (core/processes, remote-scripts/lib/deploy-processes.sh, job-*.sh).
  ...PROCESS_ERRORS,
  ...DATABASE_ERRORS,
  ...BACKUP_ERRORS,

  // The CLI's and the web mode's own.
  RENDERER_NOT_BUILT: {
    means: 'The dashboard’s files are not built: run `npm run build`.',
    raisedBy: ['cli'],
  },
  TLS_INVALID: { means: 'The given TLS certificate and key do not make a server.', raisedBy: ['cli'] },
  TLS_UNREADABLE: { means: 'The TLS certificate or key file could not be read.', raisedBy: ['cli'] },
  WEB_NEEDS_TLS: {
    means: 'The web dashboard on a network address needs TLS (or --insecure).',
    raisedBy: ['web-mode', 'cli'],
  },
  ...RESTORE_ERRORS,
  ...SCHEDULE_ERRORS,
} as const satisfies Record<string, ErrorInfo>

export type ErrorCode = keyof typeof API_ERRORS

/** The error catalogue's codes of compose apps (core/stacks, remote-scripts/stack-*.sh), spread into ./errors.ts. */
import type { RaisedBy } from './error-raisers'

export const STACK_ERRORS = {
  COMPOSE_REFUSED: {
    means:
      'The compose file asks for something Helvetia does not run on a shared server: privileged mode, a host namespace, a fixed container_name, a port published beyond loopback (it would bypass the proxy), a bind of a system folder or the Docker socket, a bind outside the source, or an external volume or network. The message names the service and the hint what to write instead.',
    raisedBy: ['apps:create', 'apps:deploy'],
  },
  COMPOSE_INVALID: {
    means:
      'The compose file is not valid YAML, or has no services: fix it (docker compose config shows where).',
    raisedBy: ['apps:create', 'apps:deploy'],
  },
  COMPOSE_FILE_MISSING: {
    means:
      'The compose file is not where the app says (in its folder, or in the repository at the commit deployed).',
    raisedBy: ['apps:create', 'apps:deploy'],
  },
  COMPOSE_ONLY: {
    means: 'Only a compose app has services: the app is a single container.',
    raisedBy: ['stacks:services'],
  },
  COMPOSE_MISSING: {
    means:
      'The server has neither docker compose (v2) nor docker-compose (v1): install one, then deploy again. The deployment’s log says so.',
    raisedBy: ['apps:deploy', 'apps:rollback'],
  },
  SERVICE_NOT_FOUND: {
    means:
      'The compose app has no such service (or none of its containers runs): route, log or open one of the services its file lists.',
    raisedBy: ['apps:create', 'apps:deploy', 'apps:logs'],
  },
} as const satisfies Record<string, { means: string; raisedBy: readonly RaisedBy[] }>

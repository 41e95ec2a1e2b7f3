/** The API of compose stacks: the services of a compose app as they run on its server. */
import type { ApiHandlers } from '../../api/contract'
import type { ServiceStatus } from '../../api/stacks'
import type { Apps } from '../apps/apps'
import { validateAppName } from '../deploy/app-spec'
import { UserError } from '../errors'
import type { ScriptRunner } from '../remote/script-runner'
import type { Servers } from '../servers/servers'

export interface StacksDeps {
  apps: Pick<Apps, 'get'>
  servers: Pick<Servers, 'get' | 'targetFor'>
  scripts: ScriptRunner
  prefix?: string
}

const HEALTH = new Set(['healthy', 'unhealthy', 'starting'])

/** stack-services.sh's lines as each service's status (the newest container's state and image). */
export function parseServices(lines: readonly string[]): Omit<ServiceStatus, 'domains' | 'zeroDowntime'>[] {
  const services = new Map<string, Omit<ServiceStatus, 'domains' | 'zeroDowntime'>>()
  for (const line of lines) {
    const [kind, service, state, health, image] = line.split(' ')
    if (!service) continue
    const known = services.get(service) ?? { service, state: 'missing', health: null, image: '', replicas: 0 }
    if (kind === 'container' && state && health && image) {
      // A running container tells more than one that is stopped or being replaced.
      if (known.state !== 'running' || state === 'running') {
        known.state = state
        known.health = HEALTH.has(health) ? (health as ServiceStatus['health']) : null
        known.image = image
      }
      if (state === 'running') known.replicas++
    }
    services.set(service, known)
  }
  return [...services.values()]
}

export function stacksApi(deps: StacksDeps) {
  const prefix = deps.prefix ?? 'helvetia'
  return {
    'stacks:services': async ({ name }: { name: string }): Promise<ServiceStatus[]> => {
      const app = deps.apps.get(validateAppName(name))
      const compose = app.spec.compose
      if (!compose) {
        throw new UserError(
          'COMPOSE_ONLY',
          `${app.name} is not a compose app.`,
          `See its container with \`helvetia status ${app.name}\`.`,
        )
      }
      const target = deps.servers.targetFor(deps.servers.get(app.server))
      const { lines } = await deps.scripts.call(target, 'stack.services', { prefix, app: app.name })
      return parseServices(lines).map((s) => ({
        ...s,
        domains: compose.routes.find((r) => r.service === s.service)?.domains ?? [],
        zeroDowntime: compose.zeroDowntime.includes(s.service),
      }))
    },
  } satisfies Partial<ApiHandlers>
}

/**
 * A compose app's settings (AppInput.compose) checked: the file's path inside the source, the routed
 * services with their domains and ports, and which of them switch with zero downtime. Given the parsed
 * file as well, the routed services must be in it, and a route without a port takes the service's.
 */
import type { ComposeSettings } from '../../api/stacks'
import { parseDomainAt } from '../deploy/app-spec'
import { invalidOption, UserError } from '../errors'
import { PATTERNS, whole } from '../rules/patterns'
import type { ComposeFile } from './compose-file'

const SERVICE = whole(PATTERNS.composeService)
const FILE = whole(PATTERNS.composeFile)

export function validateServiceName(value: unknown, field: string): string {
  if (typeof value !== 'string' || !SERVICE.test(value)) {
    throw invalidOption(
      'service name',
      value,
      'a compose service: lowercase letters, digits, _ and - (at most 40)',
      field,
    )
  }
  return value
}

export function validateComposeFilePath(value: unknown): string {
  if (typeof value !== 'string' || !FILE.test(value) || value.split('/').includes('..')) {
    throw invalidOption(
      'compose file',
      value,
      'a path inside the app’s source, such as docker-compose.yml',
      'compose.file',
    )
  }
  return value
}

/** Every domain of the app's routes, as written (lower case). */
export function composeDomains(compose: ComposeSettings): string[] {
  return compose.routes.flatMap((r) => r.domains)
}

export function resolveComposeSettings(input: ComposeSettings, file?: ComposeFile): ComposeSettings {
  const path = validateComposeFilePath(input.file)
  const seen = new Set<string>()
  const hosts = new Set<string>()
  const routes = input.routes.map((route, i) => {
    const service = validateServiceName(route.service, `compose.routes.${i}.service`)
    if (seen.has(service)) {
      throw invalidOption(
        'route',
        service,
        'one route per service (all its domains in it)',
        `compose.routes.${i}.service`,
      )
    }
    seen.add(service)
    if (route.domains.length === 0) {
      throw invalidOption(
        'route',
        service,
        'at least one domain for each routed service',
        `compose.routes.${i}.domains`,
      )
    }
    const domains = route.domains.map((domain, j) => {
      const field = `compose.routes.${i}.domains.${j}`
      const { host } = parseDomainAt(domain, field)
      if (hosts.has(host)) throw invalidOption('domain', domain, 'each domain once', field)
      hosts.add(host)
      return domain.trim().toLowerCase()
    })
    const found = file?.services.find((s) => s.name === service)
    if (file && !found) {
      throw new UserError(
        'SERVICE_NOT_FOUND',
        `The compose file ${path} has no service ${service} to route to.`,
        `Route one of its services: ${file.services.map((s) => s.name).join(', ')}.`,
        { field: `compose.routes.${i}.service` },
      )
    }
    const port = route.port ?? found?.ports[0]
    if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) {
      throw invalidOption('port', port, 'a port number from 1 to 65535', `compose.routes.${i}.port`)
    }
    if (file && port === undefined) {
      throw new UserError(
        'INVALID_OPTION',
        `The service ${service} names no port (expose: or ports:), so the proxy cannot tell where it listens.`,
        `Give it with the route: --domain ${service}:PORT=${domains[0]}.`,
        { field: `compose.routes.${i}.port` },
      )
    }
    return { service, domains, ...(port !== undefined ? { port } : {}) }
  })
  const zeroDowntime = [...new Set(input.zeroDowntime)].map((service, i) => {
    validateServiceName(service, `compose.zeroDowntime.${i}`)
    if (!seen.has(service)) {
      throw new UserError(
        'INVALID_OPTION',
        `Only a routed service switches with zero downtime, and ${service} has no domain.`,
        `Route it (--domain ${service}=DOMAIN), or leave it out of --zero-downtime: it is then recreated in place.`,
        { field: `compose.zeroDowntime.${i}` },
      )
    }
    // `up` of a service that depends on it would recreate it in place, beside its new container.
    const dependent = file?.services.find(
      (s) => s.dependsOn.includes(service) && !input.zeroDowntime.includes(s.name),
    )
    if (dependent) {
      throw new UserError(
        'INVALID_OPTION',
        `${dependent.name} depends on ${service}, so starting it would recreate ${service} in place.`,
        `Switch ${dependent.name} with zero downtime too, or leave ${service} out of --zero-downtime.`,
        { field: `compose.zeroDowntime.${i}` },
      )
    }
    return service
  })
  return { file: path, routes, zeroDowntime }
}

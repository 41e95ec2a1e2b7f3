/**
 * A compose file as Helvetia reads it before deploying it: its services and named volumes, and a
 * refusal of what would escape what Helvetia can honour safely on a shared server. The server's
 * `docker compose config` is the full parser; this one only reads what these checks and the routes need.
 */
import { load } from 'js-yaml'
import { UserError } from '../errors'
import { PATTERNS, whole } from '../rules/patterns'
import { volumeSource } from '../deploy/app-spec'

export interface ComposeService {
  name: string
  /** The service is built from the source (`build:`); else it runs `image`. */
  built: boolean
  image: string | null
  /** The container ports it names (`expose`, then the targets of `ports`), for a route's default port. */
  ports: number[]
  healthcheck: boolean
  /** The services it starts after (depends_on). */
  dependsOn: string[]
}

export interface ComposeFile {
  services: ComposeService[]
  /** The file's named volumes: kept across deploys, kept or deleted with the app as its removal says. */
  volumes: string[]
}

const SERVICE = whole(PATTERNS.composeService)
const LOOPBACK = new Set(['127.0.0.1', '::1', '[::1]', 'localhost'])
const HOST_NAMESPACES = ['network_mode', 'pid', 'ipc', 'userns_mode', 'uts', 'cgroup'] as const

type Mapping = Record<string, unknown>
const isMapping = (value: unknown): value is Mapping =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

function refused(file: string, what: string, hint: string): UserError {
  return new UserError('COMPOSE_REFUSED', `${file}: ${what}`, hint, { field: 'compose.file' })
}

/** `[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTO]` or the long form: its host address and container port. */
function publishedPort(entry: unknown): { hostIp: string | null; target: number | null } {
  if (isMapping(entry)) {
    const target = Number(entry.target)
    return {
      // Without host_ip (even without `published`) it is published on every address.
      hostIp: typeof entry.host_ip === 'string' ? entry.host_ip : null,
      target: Number.isInteger(target) ? target : null,
    }
  }
  const text = String(entry).replace(/\/(tcp|udp|sctp)$/, '')
  // An IPv6 host address is bracketed: [::1]:8080:80.
  const v6 = /^(\[[^\]]*\]):(.*)$/.exec(text)
  const parts = v6 ? [v6[1] as string, ...(v6[2] as string).split(':')] : text.split(':')
  const target = Number((parts.at(-1) ?? '').split('-')[0])
  return {
    // `CONTAINER` alone is published too, on a random port of every address.
    hostIp: parts.length === 3 ? (parts[0] as string) : null,
    target: Number.isInteger(target) ? target : null,
  }
}

/** A service's bind mount source, or null for a named volume or tmpfs. */
function bindSource(entry: unknown): string | null {
  if (isMapping(entry)) return entry.type === 'bind' ? String(entry.source ?? '') : null
  const source = String(entry).split(':')[0] ?? ''
  return /^[./~$]/.test(source) ? source : null
}

function checkService(file: string, name: string, service: Mapping): ComposeService {
  const at = `service ${name}`
  if (service.privileged === true || service.privileged === 'true') {
    throw refused(
      file,
      `${at} asks for privileged mode, which is root on the server.`,
      'Remove `privileged:`; grant the single capability it needs with cap_add.',
    )
  }
  if (service.container_name !== undefined) {
    throw refused(
      file,
      `${at} has a fixed container_name: it would collide with another app's, and a new container cannot start beside the old one.`,
      'Remove `container_name:`; Helvetia names the containers after the app.',
    )
  }
  for (const key of HOST_NAMESPACES) {
    const value = service[key]
    if (typeof value === 'string' && (value === 'host' || value.startsWith('container:'))) {
      throw refused(
        file,
        `${at} shares the ${key === 'network_mode' ? 'network' : key} namespace of ${value}.`,
        `Remove \`${key}:\`; the proxy reaches a service on its network.`,
      )
    }
  }
  const ports: number[] = []
  for (const entry of Array.isArray(service.expose) ? service.expose : []) {
    const port = Number(String(entry).split(/[-/]/)[0])
    if (Number.isInteger(port)) ports.push(port)
  }
  for (const entry of Array.isArray(service.ports) ? service.ports : []) {
    const { hostIp, target } = publishedPort(entry)
    if (hostIp === null || !LOOPBACK.has(hostIp)) {
      throw refused(
        file,
        `${at} publishes port ${JSON.stringify(entry)} on every address of the server, which bypasses the proxy (no HTTPS, no routing, open to anyone).`,
        'Route it through the proxy instead (--domain SERVICE=DOMAIN), or publish it on loopback only ("127.0.0.1:HOST:CONTAINER") to reach it over an SSH tunnel.',
      )
    }
    if (target !== null) ports.push(target)
  }
  for (const entry of Array.isArray(service.volumes) ? service.volumes : []) {
    const source = bindSource(entry)
    if (source === null) continue
    if (source.includes('$') || source.startsWith('~')) {
      throw refused(
        file,
        `${at} binds ${source}, a folder that depends on the environment.`,
        'Bind a path written out, relative to the compose file (./config) or absolute (/srv/NAME).',
      )
    }
    if (source.startsWith('/')) volumeSource(source, 'compose.file')
    else if (source.split('/').includes('..')) {
      throw refused(
        file,
        `${at} binds ${source}, outside the app's source.`,
        'Keep relative binds inside the folder of the compose file.',
      )
    }
  }
  const build = service.build
  if (build !== undefined) {
    const context = typeof build === 'string' ? build : isMapping(build) ? String(build.context ?? '.') : '.'
    if (context.startsWith('/') || context.split('/').includes('..') || /^[a-z]+:\/\//.test(context)) {
      throw refused(
        file,
        `${at} builds from ${context}, outside the app's source.`,
        'Build from a folder inside the source (build: ./web).',
      )
    }
  }
  return {
    name,
    built: build !== undefined,
    image: typeof service.image === 'string' ? service.image : null,
    ports,
    healthcheck: isMapping(service.healthcheck) && service.healthcheck.disable !== true,
    dependsOn: Array.isArray(service.depends_on)
      ? service.depends_on.map(String)
      : isMapping(service.depends_on)
        ? Object.keys(service.depends_on)
        : [],
  }
}

/** Reads `text` (the compose file `file`): its services and volumes, or why it cannot be deployed. */
export function parseComposeFile(file: string, text: string): ComposeFile {
  let document: unknown
  try {
    document = load(text)
  } catch (error) {
    throw new UserError(
      'COMPOSE_INVALID',
      `${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`,
      'Fix the file (docker compose config shows where).',
      { field: 'compose.file' },
    )
  }
  if (!isMapping(document) || !isMapping(document.services) || Object.keys(document.services).length === 0) {
    throw new UserError(
      'COMPOSE_INVALID',
      `${file} has no services.`,
      'A compose file lists its services under `services:`.',
      {
        field: 'compose.file',
      },
    )
  }
  const services = Object.entries(document.services).map(([name, service]) => {
    if (!SERVICE.test(name)) {
      throw refused(
        file,
        `the service name ${JSON.stringify(name)} is not one Helvetia can name things after.`,
        'Name services with lowercase letters, digits, _ and - (at most 40, starting with a letter or digit).',
      )
    }
    return checkService(file, name, isMapping(service) ? service : {})
  })
  const volumes = isMapping(document.volumes) ? document.volumes : {}
  const networks = isMapping(document.networks) ? document.networks : {}
  for (const [kind, entries] of [
    ['volume', volumes],
    ['network', networks],
  ] as const) {
    for (const [name, value] of Object.entries(entries)) {
      if (isMapping(value) && value.external !== undefined && value.external !== false) {
        throw refused(
          file,
          `the ${kind} ${name} is external: it is not the app's, so the app could reach or change another's.`,
          `Let compose create it (remove \`external:\`).`,
        )
      }
    }
  }
  return { services, volumes: Object.keys(volumes) }
}

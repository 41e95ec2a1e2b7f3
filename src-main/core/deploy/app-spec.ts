import { isIP } from 'node:net'
import {
  APP_DEFAULTS,
  APP_NAME,
  ENV_KEY,
  type AppInput,
  type AppVolume,
  type EnvVar,
  type RestartPolicy,
} from '../../api/apps'
import type { ProcessType } from '../../api/processes'
import { invalidOption, UserError } from '../errors'
import { resolveProcesses } from '../processes/process-types'
import { PATTERNS, whole } from '../rules/patterns'
import type { ComposeSettings } from '../../api/stacks'

export type { AppInput, AppVolume, EnvVar, RestartPolicy } from '../../api/apps'

/**
 * An app as Helvetia deploys it. `resolveAppSpec` fills in defaults and validates every field against
 * the same rules remote-scripts/lib/deploy-options.sh applies on the server (core/rules/patterns.ts); an
 * error names the field as a path into the AppInput (`health.path`, `domains.1`), which callers re-address
 * to their input.
 */

export type HealthCheck =
  | { kind: 'http'; path: string; intervalS: number; timeoutS: number; retries: number; startPeriodS: number }
  | { kind: 'image'; intervalS: number; timeoutS: number; retries: number; startPeriodS: number }

export interface AppSpec {
  /** A DNS label of at most 40 characters (it names containers, images and the proxy route). */
  name: string
  /** The port the app listens on inside its container. */
  port: number
  /** As written: `http://name` is plain HTTP, `name` or `https://name` HTTPS. */
  domains: string[]
  env: EnvVar[]
  health: HealthCheck
  resources: { memory?: string; cpus?: number; pids?: number }
  restart: RestartPolicy
  build: { dockerfile: string; memory?: string; timeoutS: number }
  /** Successful deployments whose images are kept for rollback. */
  keepImages: number
  /** How long the old container keeps serving in-flight requests after the switch. */
  drainS: number
  volumes: AppVolume[]
  /** Run with `sh -c` in a container of the new image before the switch (not by rollbacks). */
  releaseCommand?: string
  /** Process types (core/processes/process-types.ts); absent: the Procfile's, else one `web`. */
  processes?: ProcessType[]
  /** A compose app's file and routes (core/stacks). */
  compose?: ComposeSettings
}

export interface Domain {
  host: string
  https: boolean
}

const HOST = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/
const HEALTH_PATH = whole(PATTERNS.healthPath)
const MEMORY = whole(PATTERNS.memory)
const DOCKERFILE = whole(PATTERNS.dockerfile)
const RESTART = whole(PATTERNS.restart)
const VOLUME_NAME = whole(PATTERNS.volumeName)
const MOUNT_PATH = whole(PATTERNS.mountPath)
const DOT_PATH_PART = whole(PATTERNS.dotPathPart)
const SYSTEM_PATH = whole(PATTERNS.systemPath)
const MAX_VOLUMES = 20
const MAX_RELEASE_COMMAND = 2000
/** Build arguments come from the docker CLI's environment on the server: these would change the CLI itself. */
const RESERVED_BUILD_KEYS = /^(?:PATH|HOME|DOCKER_.*|BUILDKIT_.*)$/

export function validateAppName(value: unknown): string {
  if (typeof value !== 'string' || !APP_NAME.test(value)) {
    throw invalidOption(
      'app name',
      value,
      'lowercase letters, digits and dashes (a DNS label of at most 40 characters)',
      'name',
    )
  }
  return value
}

function integer(what: string, field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidOption(what, value, `a whole number from ${min} to ${max}`, field)
  }
  return value
}

export const parseDomain = (value: string): Domain => parseDomainAt(value, 'domains')

/** `field`: where the domain is in the caller's input. */
export function parseDomainAt(value: string, field: string): Domain {
  const match = /^(?:(https?):\/\/)?([^/]*)\/?$/.exec(value.trim().toLowerCase())
  const host = match?.[2] ?? ''
  if (!match || !HOST.test(host) || isIP(host) !== 0) {
    throw invalidOption(
      'domain',
      value,
      'a host name such as app.example.com, optionally with http:// (plain HTTP) or https://',
      field,
    )
  }
  return { host, https: match[1] !== 'http' }
}

/** The app's domains; with none, `<app>.<server-ip>.sslip.io`, which resolves to the server by itself. */
export function appDomains(spec: AppSpec, serverAddress: string): Domain[] {
  if (spec.domains.length > 0) return spec.domains.map(parseDomain)
  if (isIP(serverAddress) === 0) {
    throw new UserError(
      'NO_DOMAIN',
      `${spec.name} has no domain, and the server address ${serverAddress} is not an IP address for a default one.`,
      'Give the app a domain (--domain), or connect to the server by its IP address.',
    )
  }
  const label = isIP(serverAddress) === 6 ? serverAddress.replaceAll(':', '-') : serverAddress
  return [{ host: `${spec.name}.${label}.sslip.io`, https: true }]
}

/** An absolute, normal path (`what` and `field` for the error); `/` and `.`/`..` parts refused. */
function mountPath(what: string, value: unknown, field: string): string {
  if (typeof value !== 'string' || !MOUNT_PATH.test(value) || DOT_PATH_PART.test(value)) {
    throw invalidOption(
      what,
      value,
      'an absolute path written plainly, such as /data (not /, no //, no . or .. parts, no trailing /; letters, digits and . _ @ + -)',
      field,
    )
  }
  return value
}

/**
 * A volume's source: a volume name, or an absolute host folder outside the system's (`/`, /etc, /usr,
 * /var/lib/docker, the Docker socket, …), which the user names explicitly.
 */
export function volumeSource(value: unknown, field: string): string {
  if (typeof value === 'string' && value.startsWith('/')) {
    const path = mountPath('host folder', value, field)
    if (SYSTEM_PATH.test(path)) {
      throw new UserError(
        'INVALID_OPTION',
        `Refused host folder: ${path} is or holds a system folder (or Docker's own data or socket).`,
        'Bind a folder of your own, such as /srv/NAME or /home/USER/NAME, or use a named volume (NAME:/path).',
        { field },
      )
    }
    return path
  }
  if (typeof value !== 'string' || !VOLUME_NAME.test(value)) {
    throw invalidOption(
      'volume name',
      value,
      'lowercase letters, digits, _ . and - (at most 40), or an absolute host folder',
      field,
    )
  }
  return value
}

function resolveVolumes(input: readonly AppVolume[]): AppVolume[] {
  if (input.length > MAX_VOLUMES)
    throw invalidOption('volumes', `${input.length} volumes`, `at most ${MAX_VOLUMES}`, 'volumes')
  const sources = new Set<string>()
  const paths = new Set<string>()
  return input.map((volume, i) => {
    const source = volumeSource(volume.source, `volumes.${i}.source`)
    const path = mountPath('mount path', volume.path, `volumes.${i}.path`)
    if (sources.has(source))
      throw invalidOption('volume', source, 'each volume or folder once', `volumes.${i}.source`)
    if (paths.has(path)) throw invalidOption('mount path', path, 'each path once', `volumes.${i}.path`)
    sources.add(source)
    paths.add(path)
    return { source, path }
  })
}

function releaseCommand(value: unknown): string | undefined {
  if (value === undefined || (typeof value === 'string' && value.trim() === '')) return undefined
  if (typeof value !== 'string' || value.length > MAX_RELEASE_COMMAND || /[\r\n\0]/.test(value)) {
    throw invalidOption(
      'release command',
      value,
      `one line of at most ${MAX_RELEASE_COMMAND} characters, run with sh -c`,
      'releaseCommand',
    )
  }
  return value
}

export function resolveAppSpec(input: AppInput): AppSpec {
  const name = validateAppName(input.name)
  const port = integer('port', 'port', input.port ?? APP_DEFAULTS.port, 1, 65535)
  const domains = (input.domains ?? []).map((domain, i) => {
    parseDomainAt(domain, `domains.${i}`)
    return domain.trim().toLowerCase()
  })
  const keys = new Set<string>()
  const env = (input.env ?? []).map((variable, i) => {
    if (!ENV_KEY.test(variable.key))
      throw invalidOption('environment variable name', variable.key, 'letters, digits and _', `env.${i}.key`)
    if (keys.has(variable.key))
      throw invalidOption('environment variable', variable.key, 'each name once', `env.${i}.key`)
    keys.add(variable.key)
    if (/[\r\n\0]/.test(variable.value)) {
      throw invalidOption(
        `value of ${variable.key}`,
        '…',
        'a single line (Docker env files hold one line per variable)',
        `env.${i}.value`,
      )
    }
    const build = variable.build ?? !variable.secret
    if (build && RESERVED_BUILD_KEYS.test(variable.key)) {
      throw invalidOption(
        `build argument ${variable.key}`,
        variable.key,
        'a name other than PATH, HOME, DOCKER_* or BUILDKIT_*; set build: false',
        `env.${i}.build`,
      )
    }
    return { key: variable.key, value: variable.value, secret: variable.secret, build }
  })
  const h = input.health ?? {}
  const d = APP_DEFAULTS.health
  const timing = {
    intervalS: integer('health check interval', 'health.intervalS', h.intervalS ?? d.intervalS, 1, 3600),
    timeoutS: integer('health check timeout', 'health.timeoutS', h.timeoutS ?? d.timeoutS, 1, 3600),
    retries: integer('health check retries', 'health.retries', h.retries ?? d.retries, 1, 100),
    startPeriodS: integer(
      'health check start period',
      'health.startPeriodS',
      h.startPeriodS ?? d.startPeriodS,
      0,
      3600,
    ),
  }
  let health: HealthCheck
  if ((h.kind ?? 'http') === 'http') {
    const path = h.path ?? d.path
    if (!HEALTH_PATH.test(path))
      throw invalidOption('health check path', path, 'a path such as /health', 'health.path')
    health = { kind: 'http', path, ...timing }
  } else if (h.kind === 'image') health = { kind: 'image', ...timing }
  else throw invalidOption('health check', h.kind, 'http or image', 'health.kind')

  const resources: AppSpec['resources'] = {}
  const r = input.resources ?? {}
  if (r.memory !== undefined) {
    if (!MEMORY.test(r.memory))
      throw invalidOption('memory limit', r.memory, 'a size such as 512m or 1g', 'resources.memory')
    resources.memory = r.memory
  }
  if (r.cpus !== undefined) {
    if (
      typeof r.cpus !== 'number' ||
      !(r.cpus > 0) ||
      r.cpus > 999 ||
      !/^\d+(\.\d{1,2})?$/.test(String(r.cpus))
    ) {
      throw invalidOption('CPU limit', r.cpus, 'a number of CPUs such as 0.5 or 2', 'resources.cpus')
    }
    resources.cpus = r.cpus
  }
  if (r.pids !== undefined) resources.pids = integer('process limit', 'resources.pids', r.pids, 1, 9_999_999)

  const restart = input.restart ?? APP_DEFAULTS.restart
  if (!RESTART.test(restart))
    throw invalidOption('restart policy', restart, 'no, always, unless-stopped or on-failure[:N]', 'restart')

  const b = input.build ?? {}
  const dockerfile = b.dockerfile ?? 'Dockerfile'
  if (!DOCKERFILE.test(dockerfile) || dockerfile.split('/').includes('..')) {
    throw invalidOption('Dockerfile path', dockerfile, 'a path inside the app’s folder', 'build.dockerfile')
  }
  if (b.memory !== undefined && !MEMORY.test(b.memory))
    throw invalidOption('build memory limit', b.memory, 'a size such as 2g', 'build.memory')
  const command = releaseCommand(input.releaseCommand)
  const processes = resolveProcesses(input.processes)
  return {
    name,
    port,
    domains,
    env,
    health,
    resources,
    restart,
    build: {
      dockerfile,
      ...(b.memory ? { memory: b.memory } : {}),
      timeoutS: integer('build timeout', 'build.timeoutS', b.timeoutS ?? 1800, 10, 86_400),
    },
    keepImages: integer('images to keep', 'keepImages', input.keepImages ?? APP_DEFAULTS.keepImages, 1, 100),
    drainS: integer('drain time', 'drainS', input.drainS ?? APP_DEFAULTS.drainS, 0, 3600),
    volumes: resolveVolumes(input.volumes ?? []),
    ...(command !== undefined ? { releaseCommand: command } : {}),
    ...(processes !== undefined ? { processes } : {}),
    // Checked by the deploy against the compose file (core/stacks/compose-settings.ts).
    ...(input.compose ? { compose: input.compose } : {}),
  }
}

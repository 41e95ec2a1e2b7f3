import { createHash, randomBytes } from 'node:crypto'
import { COMMIT, GIT_URL } from '../source/git-source'
import { tarArchive, type TarFile } from '../source/tar-writer'
import type { AppSpec, Domain } from './app-spec'
import { caddyRoute, traefikRoute } from './proxy-routes'

/** Where a deployment's image comes from. */
export type DeploySource =
  | { kind: 'folder'; sourceId: string }
  /** The commit is in the server's copy of the repository already (source/git-fetch.ts). */
  | { kind: 'git'; url: string; commit: string }
  | { kind: 'image'; rollbackOf: string }

export interface DeployRequest {
  id: string
  spec: AppSpec
  domains: readonly Domain[]
  source: DeploySource
  /** Who or what started it: `cli`, `desktop`, `rollback`, … */
  trigger: string
  /** How long a deploy waits for an earlier one of the same app (seconds). */
  lockTimeoutS?: number
}

const TRIGGER = /^[a-z][a-z0-9-]{0,31}$/

/** `YYYYMMDD-HHMMSS-xxxx` (UTC): sorts by time, and is a valid image tag and DNS label part. */
export function newDeploymentId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
  return `${stamp}-${randomBytes(2).toString('hex')}`
}

export const DEPLOYMENT_ID = /^[0-9]{8}-[0-9]{6}-[0-9a-f]{4}$/

/** The container's name on the app network, which the proxy routes to. */
export function upstreamHost(app: string, id: string): string {
  return `${app}-${id}`
}

/** The Docker env file: one `KEY=value` line each, the only place on the server secret values go. */
export function envFile(spec: AppSpec): string {
  return spec.env.map((v) => `${v.key}=${v.value}\n`).join('')
}

/**
 * Identifies what a build produces: the source, the Dockerfile, the build arguments' values. An image
 * with the same key is reused instead of built again.
 */
export function buildKey(spec: AppSpec, source: DeploySource): string {
  const sha = createHash('sha256')
  sha.update(`${source.kind === 'folder' ? source.sourceId : source.kind === 'git' ? source.commit : ''}\0`)
  sha.update(`${spec.build.dockerfile}\0`)
  for (const v of spec.env.filter((e) => e.build)) sha.update(`${v.key}=${v.value}\0`)
  return sha.digest('hex')
}

/** The key=value lines remote-scripts/lib/deploy-options.sh reads. */
export function deployOptions(request: DeployRequest): string {
  const { spec, source } = request
  if (!TRIGGER.test(request.trigger)) throw new Error(`Invalid trigger: ${JSON.stringify(request.trigger)}`)
  const health = spec.health
  const plain = request.domains.find((d) => !d.https)
  const options: Record<string, string | number | undefined> = {
    source_kind: source.kind,
    source_id: source.kind === 'folder' ? source.sourceId : source.kind === 'git' ? source.commit : undefined,
    git_url: source.kind === 'git' ? source.url : undefined,
    rollback_of: source.kind === 'image' ? source.rollbackOf : undefined,
    build_key: source.kind === 'image' ? undefined : buildKey(spec, source),
    trigger: request.trigger,
    port: spec.port,
    health_kind: health.kind,
    health_path: health.kind === 'http' ? health.path : undefined,
    health_interval: health.intervalS,
    health_timeout: health.timeoutS,
    health_retries: health.retries,
    health_start: health.startPeriodS,
    memory: spec.resources.memory,
    cpus: spec.resources.cpus,
    pids: spec.resources.pids,
    restart: spec.restart,
    build_memory: spec.build.memory,
    build_timeout: spec.build.timeoutS,
    drain: spec.drainS,
    keep: spec.keepImages,
    dockerfile: spec.build.dockerfile,
    verify_host: plain?.host,
    lock_timeout: request.lockTimeoutS ?? 900,
  }
  if (source.kind === 'git' && (!GIT_URL.test(source.url) || !COMMIT.test(source.commit))) {
    throw new Error('Invalid git source: expected a URL and a full 40-character commit id')
  }
  if (source.kind === 'image' && !DEPLOYMENT_ID.test(source.rollbackOf))
    throw new Error('Invalid rollback target')
  return Object.entries(options)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => {
      const text = String(value)
      if (/[\r\n]/.test(text)) throw new Error(`Option ${key} holds a line break`)
      return `${key}=${text}\n`
    })
    .join('')
}

/** The app's record on the server: its spec with secret values left out (they live in the env file). */
export function appRecord(spec: AppSpec): string {
  const env = spec.env.map((v) => (v.secret ? { ...v, value: undefined } : v))
  return `${JSON.stringify({ ...spec, env })}\n`
}

/** The archive remote-scripts/deploy-start.sh reads on standard input. */
export function deployRequestArchive(request: DeployRequest): Buffer {
  const { spec, id } = request
  const route = {
    app: spec.name,
    deploymentId: id,
    domains: request.domains,
    upstream: `${upstreamHost(spec.name, id)}:${spec.port}`,
  }
  const files: TarFile[] = [
    { path: 'options', data: Buffer.from(deployOptions(request)), mode: 0o600 },
    { path: 'app.json', data: Buffer.from(appRecord(spec)), mode: 0o600 },
    { path: 'env', data: Buffer.from(envFile(spec)), mode: 0o600 },
    {
      path: 'build-args',
      data: Buffer.from(names(spec.env.filter((v) => v.build))),
      mode: 0o600,
    },
    // Names only: the server's log filter derives the forms of their values from env when it starts
    // (remote-scripts/lib/secret-mask.sh), so they are never stored beside a deployment.
    { path: 'secrets', data: Buffer.from(names(spec.env.filter((v) => v.secret))), mode: 0o600 },
    { path: 'site.caddy', data: Buffer.from(caddyRoute(route)), mode: 0o600 },
    { path: 'site.traefik.yml', data: Buffer.from(traefikRoute(route)), mode: 0o600 },
  ]
  return tarArchive(files)
}

function names(env: readonly { key: string }[]): string {
  return env.map((v) => `${v.key}\n`).join('')
}

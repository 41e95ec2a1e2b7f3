import { processesFile } from '../processes/process-types'
import { buildKey as buildKeyOf } from '../rules/build-key'
import { DEPLOYMENT_ID } from '../rules/ids'
import { DEPLOYMENT_LAYOUT } from '../rules/layout'
import { PATTERNS, whole } from '../rules/patterns'
import { PUSH_TEMPLATE_PLACEHOLDERS, PUSH_TRIGGER } from '../rules/push-template'
import { COMMIT, GIT_URL } from '../source/git-source'
import { tarArchive, type TarFile } from '../source/tar-writer'
import type { ComposeFile } from '../stacks/compose-file'
import { stackRequestFiles } from '../stacks/stack-request'
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
  /** A catalogue app's template version (a rollback records the one of the deployment it runs). */
  templateVersion?: string
  /** A compose app's: the server's prefix and its compose file as read (null for a rollback). */
  stack?: { prefix: string; file: ComposeFile | null }
}

const TRIGGER = whole(PATTERNS.trigger)
const TEMPLATE_VERSION = whole(PATTERNS.templateVersion)

export { DEPLOYMENT_ID, newDeploymentId } from '../rules/ids'

/** The container's name on the app network, which the proxy routes to. */
export function upstreamHost(app: string, id: string): string {
  return `${app}-${id}`
}

/** The Docker env file: one `KEY=value` line each, the only place on the server secret values go. */
export function envFile(spec: AppSpec): string {
  return spec.env.map((v) => `${v.key}=${v.value}\n`).join('')
}

/** Identifies what a build produces (core/rules/build-key.ts): an image with the same key is reused. */
export function buildKey(spec: AppSpec, source: DeploySource): string {
  return buildKeyOf({
    sourceId: source.kind === 'folder' ? source.sourceId : source.kind === 'git' ? source.commit : '',
    dockerfile: spec.build.dockerfile,
    buildArgs: spec.env.filter((e) => e.build).map((v) => `${v.key}=${v.value}`),
  })
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
    compose_file: spec.compose?.file,
    lock_timeout: request.lockTimeoutS ?? 900,
    template_version: request.templateVersion,
  }
  if (request.templateVersion !== undefined && !TEMPLATE_VERSION.test(request.templateVersion))
    throw new Error('Invalid template version')
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

/**
 * The archive remote-scripts/deploy-start.sh reads on standard input. A git deploy's also holds the
 * template the server fills to deploy a pushed commit by itself (see pushTemplate).
 */
export function deployRequestArchive(request: DeployRequest): Buffer {
  const files = requestFiles(request, deployOptions(request), request.id)
  files.splice(2, 0, { path: 'env', data: Buffer.from(envFile(request.spec)), mode: 0o600 })
  // A compose app's pushes are not deployed by the server yet: it gets no template.
  if (request.source.kind === 'git' && !request.spec.compose) files.push(...pushTemplate(request))
  return tarArchive(files)
}

/**
 * This request for another commit: its options, with the commit, the build key and the trigger left as
 * placeholders, and its routes, with the deployment's id left as one. remote-scripts/deploy-push.sh
 * fills them in (the build key from the app's env file of the moment, by lib/rules.sh's build_key) and
 * adds that env file. Lies in DEPLOYMENT_LAYOUT.pushTemplate once the request is on the server.
 */
function pushTemplate(request: DeployRequest): TarFile[] {
  const placeholder: Record<string, string> = {
    source_id: PUSH_TEMPLATE_PLACEHOLDERS.commit,
    build_key: PUSH_TEMPLATE_PLACEHOLDERS.buildKey,
    trigger: PUSH_TEMPLATE_PLACEHOLDERS.trigger,
  }
  const options = deployOptions({ ...request, trigger: PUSH_TRIGGER }).replace(
    /^(source_id|build_key|trigger)=.*$/gm,
    (_, key: string) => `${key}=${placeholder[key]}`,
  )
  const folder = DEPLOYMENT_LAYOUT.pushTemplate.slice(`${DEPLOYMENT_LAYOUT.request}/`.length)
  return requestFiles(request, options, PUSH_TEMPLATE_PLACEHOLDERS.id).map((file) => ({
    ...file,
    path: `${folder}/${file.path}`,
  }))
}

/** A request's files but the env file (which holds secret values). */
function requestFiles(request: DeployRequest, options: string, id: string): TarFile[] {
  const { spec } = request
  const route = {
    app: spec.name,
    deploymentId: id,
    domains: request.domains,
    upstream: `${upstreamHost(spec.name, id)}:${spec.port}`,
  }
  return [
    { path: 'options', data: Buffer.from(options), mode: 0o600 },
    { path: 'app.json', data: Buffer.from(appRecord(spec)), mode: 0o600 },
    {
      path: 'build-args',
      data: Buffer.from(names(spec.env.filter((v) => v.build))),
      mode: 0o600,
    },
    // Names only: the server's log filter derives the forms of their values from env when it starts
    // (remote-scripts/lib/secret-mask.sh), so they are never stored beside a deployment.
    { path: 'secrets', data: Buffer.from(names(spec.env.filter((v) => v.secret))), mode: 0o600 },
    // What the containers mount (remote-scripts/lib/deploy-volumes.sh): one `SOURCE PATH` line each.
    {
      path: 'volumes',
      data: Buffer.from(spec.volumes.map((v) => `${v.source} ${v.path}\n`).join('')),
      mode: 0o600,
    },
    // The command as written, passed whole as one argument of `sh -c`, never read by a shell here.
    { path: 'release-command', data: Buffer.from(spec.releaseCommand ?? ''), mode: 0o600 },
    // Process types (remote-scripts/lib/deploy-processes.sh); empty: the Procfile's, else one web.
    { path: 'processes', data: Buffer.from(processesFile(spec.processes)), mode: 0o600 },
    ...(spec.compose && request.stack
      ? stackRequestFiles({
          prefix: request.stack.prefix,
          app: spec.name,
          id,
          compose: spec.compose,
          file: request.stack.file,
        })
      : [
          { path: 'site.caddy', data: Buffer.from(caddyRoute(route)), mode: 0o600 },
          { path: 'site.traefik.yml', data: Buffer.from(traefikRoute(route)), mode: 0o600 },
        ]),
  ]
}

function names(env: readonly { key: string }[]): string {
  return env.map((v) => `${v.key}\n`).join('')
}

/** Apps: their settings, env, deployments and logs. Types, plain data and input schemas only. */
import { z } from 'zod'
import type { BuilderChoice } from './builds'
import type { ProcessType } from './processes'
import type { ProxyKind } from './servers'
import type { ComposeSettings } from './stacks'
import { byName, call, checkedByCore, noInput, stream, text } from './spec'

/**
 * An app's name: a DNS label of at most 40 characters. The core enforces it; forms check it as people
 * type; the server's scripts and the relay get the same text (src-main/core/rules/patterns.ts).
 */
export const APP_NAME_PATTERN = '[a-z]([a-z0-9-]{0,38}[a-z0-9])?'
export const APP_NAME = new RegExp(`^(?:${APP_NAME_PATTERN})$`)

/** What an app gets for a setting it leaves out: the core applies them (core/deploy/app-spec.ts), forms show them. */
export const APP_DEFAULTS = {
  port: 3000,
  health: { path: '/', intervalS: 2, timeoutS: 5, retries: 3, startPeriodS: 30 },
  restart: 'unless-stopped',
  keepImages: 5,
  drainS: 2,
} as const

/** An env variable's name. */
export const ENV_KEY_PATTERN = '[A-Za-z_][A-Za-z0-9_]*'
export const ENV_KEY = new RegExp(`^(?:${ENV_KEY_PATTERN})$`)

export interface EnvVar {
  key: string
  value: string
  secret: boolean
  /**
   * Also a build argument (`ARG KEY` in the Dockerfile sees it). Default: plain values yes, secrets no,
   * because the classic builder records build arguments in the image's history.
   */
  build?: boolean
}

export type RestartPolicy = 'no' | 'always' | 'unless-stopped' | 'on-failure' | `on-failure:${number}`
const restartPolicy = checkedByCore<RestartPolicy>()

const healthInput = z
  .strictObject({
    kind: checkedByCore<'http' | 'image'>(),
    path: z.string(),
    intervalS: z.number(),
    timeoutS: z.number(),
    retries: z.number(),
    startPeriodS: z.number(),
  })
  .partial()
/** An app's health check as written: a key left out gets its default. */
export type HealthInput = z.infer<typeof healthInput>

/** An app as the user writes it; the core fills in defaults and validates it (core/deploy/app-spec.ts). */
export interface AppInput {
  /** A DNS label of at most 40 characters (it names containers, images and the proxy route). */
  name: string
  /** The port the app listens on inside its container. */
  port?: number
  /** As written: `http://name` is plain HTTP, `name` or `https://name` HTTPS. */
  domains?: string[]
  env?: EnvVar[]
  health?: HealthInput
  resources?: { memory?: string; cpus?: number; pids?: number }
  restart?: RestartPolicy
  build?: Partial<{ dockerfile: string; memory: string; timeoutS: number; builder: BuilderChoice }>
  /** Successful deployments whose images are kept for rollback. */
  keepImages?: number
  /** How long the old container keeps serving in-flight requests after the switch. */
  drainS?: number
  /** What the app's containers mount: a Helvetia volume by name, or a host folder by absolute path. */
  volumes?: AppVolume[]
  /** Run once in a container of the new image before traffic moves to it (migrations); sh -c. */
  releaseCommand?: string
  /** A compose app: the services of this compose file instead of one container (api/stacks.ts). */
  compose?: ComposeSettings
  /** Process types run from the app's image; absent: a Procfile's, else one `web` (api/processes.ts). */
  processes?: ProcessType[]
}

/**
 * A mount of the app's containers at `path`. `source` a name: the Docker volume `PREFIX-APP-NAME`,
 * Helvetia's, created on the first deploy that needs it and kept until the app is removed with its
 * volumes; an absolute path: that folder of the server (a bind mount the user names explicitly).
 */
export interface AppVolume {
  source: string
  path: string
}

/** What happens to an app's volumes when it is removed: no default, so that no data goes silently. */
export type VolumesChoice = 'keep' | 'delete'

/** The Docker volumes an app's removal kept (with their data) or deleted, by name. */
export interface VolumesOutcome {
  kept: string[]
  deleted: string[]
}

/** Where an app's code comes from. */
export type AppSource =
  | { kind: 'folder'; path: string }
  /**
   * `branch` absent: the remote's HEAD. `deployKey`: the public half of the app's deploy key (the private
   * half is in the OS keychain only), for the repository's deploy keys; `githubKeyId` when Helvetia
   * added it there through GitHub's API.
   */
  | { kind: 'git'; url: string; branch?: string; deployKey?: { publicKey: string; githubKeyId?: number } }
  /** A prebuilt image: a tag or a digest, from a public registry or one added with registries:add. */
  | { kind: 'image'; ref: string }
  /** A catalogue template (api/catalog.ts), rendered with the values recorded on the server. */
  | { kind: 'catalog'; template: string; version: string }

/** An app's source in a few words, as lists show it. */
export function describeSource(source: AppSource): string {
  if (source.kind === 'folder') return source.path
  if (source.kind === 'image') return source.ref
  if (source.kind === 'catalog') return `${source.template} ${source.version} (catalogue)`
  return source.branch ? `${source.url} (${source.branch})` : source.url
}

/** The app's settings without its env: plain values and secret names live in the store, secret values in the keychain. */
export type StoredSpec = Omit<AppInput, 'env' | 'name'>

/** The settings a new app may start with; the core checks their values (core/deploy/app-spec.ts). */
export const createAppFields = {
  name: text,
  server: text,
  port: z.number().optional(),
  domains: z.array(z.string()).optional(),
  healthPath: text.optional(),
  memory: text.optional(),
  cpus: z.number().optional(),
  /** api/builds.ts's BuilderChoice; absent: auto. */
  builder: checkedByCore<BuilderChoice>().optional(),
}

const createAppInput = z.strictObject({
  ...createAppFields,
  /** A git source's deploy key is Helvetia's to make, never given. */
  source: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('folder'), path: text }),
    z.strictObject({ kind: z.literal('git'), url: text, branch: text.optional() }),
    z.strictObject({ kind: z.literal('image'), ref: text }),
    /** `values`: variables the user gave; the others are generated (api/catalog.ts). */
    z.strictObject({
      kind: z.literal('catalog'),
      template: text,
      version: text.optional(),
      values: z.record(z.string(), z.string()).optional(),
    }),
  ]),
  /** A compose app: the compose file in the folder or repository, and its routes (api/stacks.ts). */
  compose: z
    .strictObject({
      file: text,
      routes: z.array(
        z.strictObject({ service: text, domains: z.array(z.string()), port: z.number().optional() }),
      ),
      zeroDowntime: z.array(text),
    })
    .optional(),
  /**
   * A git app reached over SSH: its deploy key, a private key given (no passphrase) or a new ed25519
   * one. The private half goes to the keychain only; the public half is in the app's source.
   */
  deployKey: z
    .union([z.strictObject({ privateKey: text }), z.strictObject({ generate: z.literal(true) })])
    .optional(),
})
export type CreateAppInput = z.infer<typeof createAppInput>

/**
 * Settings to change after creation: a field left out stays as it is. `domains` is the whole new list
 * (empty: the default sslip.io name); `health` changes only the keys given; `null` clears a resource
 * limit, or a git app's branch (back to the repository's default branch). A misspelt key is refused
 * rather than ignored, so a change that would do nothing says so.
 */
const appChanges = z.strictObject({
  port: z.number().optional(),
  domains: z.array(z.string()).optional(),
  health: healthInput.optional(),
  resources: z
    .strictObject({ memory: text.nullable(), cpus: z.number().nullable(), pids: z.number().nullable() })
    .partial()
    .optional(),
  restart: restartPolicy.optional(),
  keepImages: z.number().optional(),
  drainS: z.number().optional(),
  branch: text.nullable().optional(),
  /** The whole new list of volumes (empty: none). A volume taken out keeps its data until the app is removed. */
  volumes: z.array(z.strictObject({ source: z.string(), path: z.string() })).optional(),
  /** `null` (or empty) clears it. */
  releaseCommand: z.string().nullable().optional(),
  builder: checkedByCore<BuilderChoice>().optional(),
  /** The whole new list of process types (empty: back to the Procfile's, else one `web`). */
  processes: z
    .array(
      z.strictObject({
        name: text,
        command: text.optional(),
        replicas: z.number().optional(),
        memory: text.optional(),
        cpus: z.number().optional(),
      }),
    )
    .optional(),
  /** A compose app's routes and zero-downtime services (its file stays). */
  routes: z
    .array(z.strictObject({ service: text, domains: z.array(z.string()), port: z.number().optional() }))
    .optional(),
  zeroDowntime: z.array(text).optional(),
})
export type AppChanges = z.infer<typeof appChanges>

const updateAppInput = z.strictObject({ name: text, changes: appChanges })
export type UpdateAppInput = z.infer<typeof updateAppInput>

export interface AppSummary {
  name: string
  server: string
  source: AppSource
  spec: StoredSpec
  envPending: boolean
  /** Settings changed since the last deploy: the running version does not have them yet. */
  settingsPending: boolean
  createdAt: string
}

export interface EnvListing {
  /** Secret values are masked. */
  vars: { key: string; value: string; secret: boolean }[]
  /** Changed since the last deploy: the running version does not have it yet. */
  pending: boolean
}

/** A git app's deploy key, as the repository's deploy keys list it. */
export interface DeployKeyInfo {
  /** One OpenSSH public key line, for the repository's deploy keys (read-only). */
  publicKey: string
  /** `SHA256:…`, as GitHub's deploy keys page and `ssh-keygen -lf` show it. */
  fingerprint: string
  /** The key's id on GitHub when Helvetia added it there (and so replaces it itself); null: added by hand. */
  githubKeyId: number | null
}

/** A deploy key replaced by a new one: the new key is the one deploys use from now on. */
export interface DeployKeyRotation {
  key: DeployKeyInfo
  /** The fingerprint of the key it replaced. */
  previousFingerprint: string
  /** What the user still has to do (add the new key by hand, remove the old one), or null. */
  action: string | null
  /** What went wrong without undoing the rotation (the old key could not be deleted on GitHub). */
  warnings: string[]
}

export type DeploymentStatus = 'queued' | 'running' | 'succeeded' | 'failed'

/** A deployment as the server records it (the server is the record; the desktop only reads it). */
export interface Deployment {
  id: string
  app: string
  status: DeploymentStatus
  /** Who or what started it (`cli`, `desktop`, `rollback`, `push`, …). */
  trigger: string
  source: { kind: 'folder' | 'git' | 'image'; id: string }
  /** What built the image (`buildah (isolated)`, `docker build (classic)`), or null when nothing was built. */
  builder: string | null
  /** The image's digest (`sha256:…`) as pulled or built: a rollback runs exactly this. */
  digest: string | null
  /** A catalogue app's template version this deployment ran. */
  templateVersion: string | null
  /** For a rollback: the deployment whose image it runs again. */
  rollbackOf: string | null
  createdAt: string
  startedAt: string | null
  finishedAt: string | null
  image: string | null
  container: string | null
  /** This deployment ran the app's release command (a rollback never does). */
  releaseRan: boolean
  /** Why it failed, what to do about it, and the new container's last log lines. */
  error: { code: string; message: string; hint: string | null; lastLines: string | null } | null
}

export interface AppHistory {
  /** The app's record on the server (its spec without secret values), or null before the first deploy. */
  app: Record<string, unknown> | null
  /** The live deployment's id. */
  current: string | null
  /** Oldest first. */
  deployments: Deployment[]
}

export interface AppStatus {
  app: AppSummary
  /** The live deployment, or null before the first successful one. */
  live: Deployment | null
  /** The newest deployment, whatever its outcome. */
  latest: Deployment | null
}

/** What a deploy, a rollback or a reattach reports, ending with the deployment's record. */
export type DeployProgress =
  | {
      type: 'step'
      step: string
      status: 'running' | 'done' | 'skipped' | 'failed'
      code: string | null
      message: string
    }
  | { type: 'log'; line: string }
  | { type: 'uploaded'; files: number; treeBytes: number; sentBytes: number }
  /** Started on the server: it carries on there even if this stream ends. */
  | { type: 'started'; id: string }
  | { type: 'done'; deployment: Deployment }

/** Runtime log lines, batched so that a fast log costs one message per batch, not per line. */
export interface LogBatch {
  lines: string[]
}

/**
 * What the proxy serves for an HTTPS domain, judged on this computer: `untrusted`, a chain no standard
 * authority vouches for (a self-signed certificate, Caddy's local CA for `.localhost`); `pending`, the
 * proxy has no certificate of its own for the name yet (Traefik's default one, or none: the ACME
 * issuer has not finished); `mismatch`, a certificate that does not cover the name; `error`, no TLS
 * answer to judge.
 */
export type CertificateState = 'valid' | 'untrusted' | 'pending' | 'expired' | 'mismatch' | 'error'

export interface CertificateStatus {
  /** The host name, as the TLS server name. */
  domain: string
  state: CertificateState
  /** The proxy that answered, when the server's proxy was found. */
  proxy: ProxyKind | null
  /** The issuer's and the subject's common name (else organization); null without a certificate. */
  issuer: string | null
  subject: string | null
  /** The names the certificate covers (its subject alternative names). */
  altNames: string[]
  /** ISO dates. */
  validFrom: string | null
  validTo: string | null
  /** Whole days until validTo (negative once expired). */
  daysLeft: number | null
  /** The verdict in a sentence, with what to do when something is wrong. */
  message: string
}

export const appsContract = {
  'apps:list': call(noInput).returns<AppSummary[]>(),
  /** The app list now, then again each time it changes. */
  'apps:watch': stream(noInput).yields<AppSummary[]>(),
  /** One app (APP_NOT_FOUND when there is none by that name). */
  'apps:get': call(byName).returns<AppSummary>(),
  'apps:create': call(createAppInput).returns<AppSummary>(),
  /** Changes the app's settings, validated like create; they are pending until the next deploy. */
  'apps:update': call(updateAppInput).returns<AppSummary>(),
  /**
   * Removes the app from its server (route, containers, images, history), the keychain and the store.
   * `volumes`: keep or delete its volumes; required when it has some (VOLUMES_CHOICE_NEEDED).
   */
  'apps:remove': call(
    z.strictObject({ name: text, volumes: checkedByCore<VolumesChoice>().optional() }),
  ).returns<VolumesOutcome>(),
  'apps:status': call(byName).returns<AppStatus>(),
  'apps:deployments': call(byName).returns<AppHistory>(),
  /** The certificate each HTTPS domain of the app gets from its server's proxy (`http://` ones are left out). */
  'apps:certificates': call(byName).returns<CertificateStatus[]>(),
  /** A git app's deploy key (DEPLOY_KEY_NONE for an app without one). */
  'apps:deploy-key': call(byName).returns<DeployKeyInfo>(),
  /**
   * Replaces the deploy key with a new one. Managed on GitHub: the new key is added there first and the
   * old one deleted after; added by hand: the result says to add the new key and remove the old one.
   */
  'apps:rotate-deploy-key': call(byName).returns<DeployKeyRotation>(),
  /** Sends the source (or fetches the commit), deploys, and streams until it is live or has failed. */
  'apps:deploy': stream(
    /** `image`: an image app's new tag or digest (it becomes the app's image). */
    z.strictObject({ name: text, path: text.optional(), commit: text.optional(), image: text.optional() }),
  ).yields<DeployProgress>(),
  /** Runs a kept image again (default: the last good one before the live one), without building. */
  'apps:rollback': stream(z.strictObject({ name: text, to: text.optional() })).yields<DeployProgress>(),
  /** A deployment's whole log from its start; a running one is followed to its end. */
  'apps:deployment-log': stream(z.strictObject({ name: text, id: text })).yields<DeployProgress>(),
  /** The live container's log: the last `tail` lines, then new ones while `follow`. */
  'apps:logs': stream(
    z.strictObject({
      name: text,
      tail: z.int().nonnegative().optional(),
      follow: z.boolean().optional(),
      /** A compose app's service, or a process type (`worker`); default: the routed one (`web`). */
      service: text.optional(),
    }),
  ).yields<LogBatch>(),
  'env:list': call(byName).returns<EnvListing>(),
  /** Sets variables (an empty value is one); `secret` (default false) keeps their values in the keychain. */
  'env:set': call(
    z.strictObject({
      name: text,
      vars: z.array(z.strictObject({ key: text, value: z.string() })),
      secret: z.boolean().optional(),
    }),
  ).returns<void>(),
  'env:unset': call(z.strictObject({ name: text, keys: z.array(z.string()) })).returns<void>(),
} as const

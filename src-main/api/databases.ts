/**
 * Databases: one-click engines on a server, linked to apps, reached through a tunnel, backed up to
 * S3-compatible storage and restored. Types, plain data and input schemas only. The server records
 * each database (core/rules/layout.ts's DATABASE_LAYOUT); the desktop keeps the credentials in the
 * keychain and caches the rest.
 */
import { z } from 'zod'
import { byName, call, checkedByCore, noInput, stream, text } from './spec'

/** The engines Helvetia runs. Each one's official image, port and tools: core/databases/engines.ts. */
export const DATABASE_ENGINES = ['postgres', 'mysql', 'mariadb', 'redis', 'mongodb'] as const
export type DatabaseEngine = (typeof DATABASE_ENGINES)[number]

/** Each engine's pinned major version (its official image's tag) when `version` is not given. */
export const DATABASE_DEFAULT_VERSIONS: Record<DatabaseEngine, string> = {
  postgres: '16',
  mysql: '8.4',
  mariadb: '11',
  redis: '7',
  mongodb: '7',
}

/** Where a database runs: `running`, or what Docker says its container is (`exited`, `missing`, …). */
export type DatabaseState = 'running' | 'restarting' | 'exited' | 'missing' | 'unknown'

const createDatabaseInput = z.strictObject({
  /** The same rule as an app's name (a DNS label of at most 40 characters), and unique among apps and databases. */
  name: text,
  server: text,
  engine: checkedByCore<DatabaseEngine>(),
  /** The engine's major version (the image's tag); default: the engine's pinned one. */
  version: text.optional(),
  /** Another image honouring the official one's environment (a private registry, a local build). */
  image: text.optional(),
  /** Docker's `--memory` form: `512m`, `1g`. */
  memory: text.optional(),
  cpus: z.number().optional(),
})
export type CreateDatabaseInput = z.infer<typeof createDatabaseInput>

/** A database as `db list` shows it. */
export interface DatabaseSummary {
  name: string
  server: string
  engine: DatabaseEngine
  version: string
  image: string
  state: DatabaseState
  /** Apps whose env holds its connection URL (as a secret), and under which key. */
  linkedApps: { app: string; key: string }[]
  createdAt: string
}

/** The last backups as the server's record and the bucket's manifests say. */
export interface BackupHealth {
  /** The newest backup whose read-back hash matched its manifest. */
  lastGood: { id: string; at: string; target: string } | null
  /** The newest restore drill whose row counts matched the manifest. */
  lastVerifiedRestore: { backup: string; at: string } | null
  /** The newest backup's failure, when it failed. */
  lastFailure: { at: string; code: string; message: string } | null
  /** A schedule exists and the last good backup is older than 1.5× its interval (or there is none). */
  stale: boolean
}

export interface BackupSchedule {
  /** `1d`, `6h`, `30m`: minutes, hours or days. */
  every: string
  /** `HH:MM` (server time) for daily or longer intervals: the first run of each interval. */
  at: string | null
  target: string
  keep: { daily: number; weekly: number; monthly: number }
  /** How often a backup is restore-drilled (`7d` by default); null: never. */
  drillEvery: string | null
  /** Called with a JSON body when a backup fails or goes stale. */
  webhook: string | null
}

/** `db info`: a database in full. Secrets are masked unless `reveal` asked for them. */
export interface DatabaseInfo extends DatabaseSummary {
  memory: string | null
  cpus: number | null
  /** The connection URL inside Helvetia's network (what a linked app gets), its password masked. */
  url: string
  /** The container's host name on Helvetia's network and the engine's port there. */
  host: string
  port: number
  backups: BackupHealth
  schedule: BackupSchedule | null
}

export type TunnelEvent =
  /** First: the local port listens; `url` is the local connection URL, with the password. */
  | { type: 'listening'; url: string; port: number }
  /** How many connections go through it now. */
  | { type: 'connections'; open: number }

/** Every database on every reachable server, and the servers that could not be read. */
export interface DatabaseListing {
  databases: DatabaseSummary[]
  /** Servers whose databases are left out: they could not be reached (the message says why). */
  unreachable: { server: string; code: string; message: string }[]
}

/** A step of creating a database (as its server script reports it), its output (an image pull's), then the database. */
export type CreateDatabaseEvent =
  | { type: 'step'; step: string; status: 'running' | 'done' | 'skipped' | 'failed'; message: string }
  | { type: 'log'; line: string }
  | { type: 'done'; database: DatabaseInfo }

/** Databases themselves (core/databases). */
export const databasesContract = {
  /** Every database on every server (read from each server's record; an unreachable one is left out). */
  'databases:list': call(noInput).returns<DatabaseListing>(),
  /** Creates the database and waits until it accepts connections: its steps, then `done`. */
  'databases:create': stream(createDatabaseInput).yields<CreateDatabaseEvent>(),
  'databases:info': call(byName).returns<DatabaseInfo>(),
  /** The connection URL with its password, for a user who asked to see it. */
  'databases:reveal': call(byName).returns<{ url: string; password: string; user: string }>(),
  /** `keepVolume`: the data volume stays (for a later `db create` of the same name). */
  'databases:remove': call(z.strictObject({ name: text, keepVolume: z.boolean() })).returns<void>(),
} as const

/** Linking a database to apps (core/databases' links). */
export const databaseLinksContract = {
  /** Adds the connection URL to the app's env as a secret (pending until its next deploy). */
  'databases:link': call(z.strictObject({ name: text, app: text, as: text.optional() })).returns<{
    key: string
  }>(),
  'databases:unlink': call(z.strictObject({ name: text, app: text })).returns<void>(),
} as const

/** Reaching a database from this computer (the shell is a terminal: terminals:open's `database` kind). */
export const databaseAccessContract = {
  /** A local port on 127.0.0.1 through the server's SSH connection; cancelling closes it. */
  'databases:tunnel': stream(
    z.strictObject({ name: text, port: z.int().min(0).max(65535).optional() }),
  ).yields<TunnelEvent>(),
} as const

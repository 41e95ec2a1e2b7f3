/** Push to deploy: an app's webhook on a relay, and what happened to each push. Types, plain data and input schemas only. */
import { z } from 'zod'
import type { DeployProgress } from './apps'
import { byName, call, stream, text } from './spec'

export type DeliveryStatus =
  | 'received'
  | 'refused-signature'
  | 'refused-commit'
  | 'refused-size'
  | 'duplicate'
  | 'ignored-event'
  | 'ignored-branch'
  | 'deploy-started'
  | 'deployed'
  | 'failed'

/** One line of an app's delivery log, as the relay keeps it. */
export interface DeliveryRecord {
  at: string
  app: string
  hookId: string
  /** GitHub's X-GitHub-Delivery id. */
  delivery: string | null
  event: string | null
  status: DeliveryStatus
  seq?: number
  detail?: string
  /** A received push: its ref, pushed commit and GitHub's `pushed_at`, what a replay is recognised by. */
  ref?: string
  commit?: string
  pushedAt?: number
}

/** How this computer follows a relay: the background watcher's state. */
export type WatcherState =
  { state: 'connected' } | { state: 'connecting' } | { state: 'retrying'; error: string; retryInMs: number }

/** What following a relay did: connected, lost it, or handled a delivery (deployed it, or why not). */
export type WatchActivity =
  | { type: 'connected' }
  | { type: 'disconnected'; error: string; retryInMs: number }
  | { type: 'not-ours'; seq: number; hookId: string }
  | { type: 'delivery'; seq: number; app: string; delivery: string; status: DeliveryStatus; detail?: string }

/** An app's webhook as connected, or null from push:status when it has none. */
export interface PushLink {
  relay: string
  branch: string
  connectedAt: string
  /** The watcher of this relay while the core runs (null: not started, as in the CLI). */
  watcher: WatcherState | null
}

export interface PushConnection {
  /** The webhook's Payload URL. */
  url: string
  relay: string
  branch: string
  /** The relay runs on the app's server and deploys its pushes itself. */
  serverSide: boolean
  /**
   * The webhook secret, to paste into GitHub: shown once, never again. Null when Helvetia added the
   * webhook to the repository itself (signed in with GitHub), which then holds the secret.
   */
  secret: string | null
  /** The webhook on GitHub when Helvetia added it, or why it could not (the secret is shown instead). */
  github: { created: boolean } | { error: string } | null
}

/** A relay Helvetia runs on one of the user's servers. */
export interface InstalledRelay {
  /** Where GitHub posts, and the relay's name in Helvetia. */
  url: string
  server: string
  container: string
  /** Whether the server starts the push agent at boot (the user's crontab). */
  agentStartsAtBoot: boolean
}

/** Installing a relay reports like a deploy, and ends with the installed relay. */
export type RelayInstallProgress =
  Exclude<DeployProgress, { type: 'done' }> | { type: 'installed'; relay: InstalledRelay }

export const pushContract = {
  /** The app's delivery log, oldest first. */
  'push:deliveries': call(byName).returns<DeliveryRecord[]>(),
  /** The delivery log now, then again whenever a push was handled (and every few seconds). */
  'push:watch-deliveries': stream(byName).yields<DeliveryRecord[]>(),
  /**
   * Registers the app with the relay (`token`: needed once per relay; `branch`: whose pushes deploy,
   * default the app's git branch, else main) and, on GitHub, adds the webhook.
   */
  'push:connect': call(
    z.strictObject({ name: text, relay: text, token: text.optional(), branch: text.optional() }),
  ).returns<PushConnection>(),
  /**
   * Follows the relay (default: the one the apps are connected to) and deploys each push to a
   * connected app's branch, reporting what it did, until cancelled (`helvetia watch`).
   */
  'push:watch': stream(
    z.strictObject({ relay: text.optional(), token: text.optional() }),
  ).yields<WatchActivity>(),
  'push:status': call(byName).returns<PushLink | null>(),
  /** Builds and runs a relay on the server, behind its proxy (domain default relay.<address>.sslip.io). */
  'push:install-relay': stream(
    z.strictObject({ server: text, domain: text.optional(), baseImage: text.optional() }),
  ).yields<RelayInstallProgress>(),
} as const

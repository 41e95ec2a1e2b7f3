import type { Apps } from '../apps/apps'
import { UserError } from '../errors'
import type { RelayHosts } from '../relay-host/relay-hosts'
import type { Db } from '../store/database'
import { deployKeyAccount, relayTokenAccount, webhookSecretAccount } from '../vault/accounts'
import type { Vault } from '../vault/vault'
import { deployPushedCommit } from './deploy-push'
import { normalizeRelayUrl } from '../relay-host/relay-url'
import { relayClient, type DeliveryRecord, type RelayEndpoint } from './relay-client'
import { watchRelay, type WatchActivity, type WatchOptions } from './watcher'
import { createWebhookStore, type WebhookRecord } from '../store/webhook-store'

export interface ConnectedWebhook {
  /** Where GitHub posts: the webhook's Payload URL. */
  url: string
  /** The webhook's secret, to paste into GitHub. */
  secret: string
  branch: string
  relay: string
  /** The relay runs on the app's server, which deploys its pushes itself: no watcher is needed. */
  serverSide: boolean
}

export interface WatchInput {
  /** The relay to follow (default: the one the apps are registered with, when there is one). */
  relay?: string
  /** The relay token (default: the one kept when an app was connected). */
  token?: string
  signal: AbortSignal
  onActivity?: (activity: WatchActivity) => void
  room?: WatchOptions['room']
  /** How a push is deployed (default: the app's deploy of that commit). */
  deploy?: WatchOptions['deploy']
  createConnection?: RelayEndpoint['createConnection']
}

/** Push to deploy: apps registered with a relay, their delivery logs, and the watcher that deploys. */
export function createPush(deps: { db: Db; vault: Vault; apps: Apps; relayHosts: RelayHosts }) {
  const { vault, apps, relayHosts } = deps
  const webhooks = createWebhookStore(deps.db)
  const appRecord = apps.record

  /**
   * The token given, else the one kept for this relay; a relay installed on a server is reached
   * through that server's SSH connection (plain HTTP inside it).
   */
  const endpoint = async (relay: string, token?: string): Promise<RelayEndpoint> => {
    const kept = token ?? (await vault.get(relayTokenAccount(relay)))
    if (!kept) {
      throw new UserError(
        'RELAY_TOKEN_MISSING',
        `No token for the relay at ${relay}.`,
        'Pass the token `helvetia relay serve` printed, with --relay-token-file FILE or --relay-token-stdin.',
      )
    }
    const connector = relayHosts.connector(relay)
    return connector
      ? { url: relay.replace(/^https:/, 'http:'), token: kept, createConnection: connector }
      : { url: relay, token: kept }
  }

  return {
    /**
     * Registers the app with the relay (again: a new URL and secret replace the old ones) and keeps the
     * secret in the keychain and the relay's token beside it. When the relay runs on the app's own
     * server and the app deploys from git, the server deploys its pushes by itself (its deploy key, if
     * any, is left there for it), with or without a desktop connected.
     */
    async connectWebhook(
      name: string,
      input: { relay: string; token?: string; branch?: string },
    ): Promise<ConnectedWebhook> {
      const app = appRecord(name)
      const relay = normalizeRelayUrl(input.relay)
      const branch = input.branch ?? (app.source.kind === 'git' ? app.source.branch : undefined) ?? 'main'
      const target = await endpoint(relay, input.token)
      const host = relayHosts.serverOf(relay)
      const serverSide = host?.id === app.serverId && app.source.kind === 'git'
      if (host && serverSide) {
        const hasKey = app.source.kind === 'git' && app.source.deployKey !== undefined
        const key = hasKey ? await vault.get(deployKeyAccount(app.id)) : null
        if (hasKey && key === null) {
          throw new UserError(
            'DEPLOY_KEY_MISSING',
            `The deploy key of ${app.name} is not in this keychain, and its server needs it to fetch pushes.`,
            'Connect the webhook from the computer that created the app.',
          )
        }
        await relayHosts.keepDeployKey(host, app.name, key)
      }
      const registered = await relayClient(target).register(app.name, branch, serverSide)
      await vault.set(webhookSecretAccount(app.id), registered.secret)
      await vault.set(relayTokenAccount(relay), target.token)
      webhooks.save({
        appId: app.id,
        relayUrl: relay,
        hookId: registered.hookId,
        branch,
        createdAt: new Date().toISOString(),
      })
      return { url: registered.url, secret: registered.secret, branch, relay, serverSide }
    },

    /** The app's delivery log, as the relay keeps it, oldest first. */
    async deliveries(name: string): Promise<DeliveryRecord[]> {
      const app = appRecord(name)
      const webhook = webhooks.byApp(app.id)
      if (!webhook) {
        throw new UserError(
          'WEBHOOK_NOT_CONNECTED',
          `${app.name} is not connected to a relay.`,
          `Run \`helvetia app connect-webhook ${app.name} --relay URL\`.`,
        )
      }
      return relayClient(await endpoint(webhook.relayUrl)).deliveries(app.name)
    },

    /** The relays apps are registered with: what the desktop's background watcher follows. */
    relays: (): string[] => webhooks.relays(),

    /** The app's webhook, or null when it is not connected to a relay. */
    webhook: (name: string): WebhookRecord | null => webhooks.byApp(appRecord(name).id),

    /** Follows the relay and deploys pushes until `signal` aborts (the desktop and `helvetia watch`). */
    async watch(input: WatchInput): Promise<void> {
      const relays = webhooks.relays()
      const relay = input.relay ? normalizeRelayUrl(input.relay) : relays.length === 1 ? relays[0] : undefined
      if (!relay) {
        throw new UserError(
          'RELAY_NOT_GIVEN',
          relays.length ? 'Apps are registered with several relays.' : 'No app is connected to a relay.',
          relays.length
            ? `Pass --relay with one of: ${relays.join(', ')}.`
            : 'Connect one with `helvetia app connect-webhook NAME --relay URL`.',
        )
      }
      const target = await endpoint(relay, input.token)
      const client = relayClient({
        ...target,
        createConnection: input.createConnection ?? target.createConnection,
      })
      await watchRelay({
        client,
        signal: input.signal,
        onActivity: input.onActivity,
        room: input.room,
        deploy: input.deploy ?? ((app, commit, started) => deployPushedCommit(apps, app, commit, started)),
        hook: async (hookId) => {
          const webhook = webhooks.byHook(relay, hookId)
          const secret = webhook && (await vault.get(webhookSecretAccount(webhook.appId)))
          return webhook && secret ? { app: webhook.app, branch: webhook.branch, secret } : null
        },
      })
    },
  }
}

export type Push = ReturnType<typeof createPush>

import { once } from 'node:events'
import type { DeliveryRecord, HandlersOf, RelayInstallProgress } from '../../api/contract'
import type { Changes } from '../changes'
import { eventStream } from '../event-stream'
import type { GitHubApps } from '../github/github-apps'
import type { RelayHosts } from '../relay-host/relay-hosts'
import type { Push } from './push'
import type { PushBackground } from './push-background'

/**
 * The delivery log is read again this often even without a change here: the relay refuses forged
 * pushes without telling its subscribers, its own server deploys server-side apps, and another
 * computer may watch the same relay. One small GET per open log.
 */
const REFRESH_MS = 3_000

/** The push methods of the API: an app's webhook and its delivery log. */
export function pushApi(deps: {
  push: Push
  githubApps: GitHubApps
  background: PushBackground
  relayHosts: RelayHosts
  changes: Changes
}): HandlersOf<'push'> {
  const { push, githubApps, background, relayHosts, changes } = deps
  return {
    'push:deliveries': ({ name }) => push.deliveries(name),
    'push:watch-deliveries': ({ name }, signal) => watchDeliveries(name, signal),
    'push:connect': async ({ name, relay, token }) => {
      const connection = await githubApps.connectWebhook(name, { relay, token })
      changes.emit('push')
      return connection
    },
    'push:install-relay': ({ server, domain, baseImage }, signal) => {
      return eventStream<RelayInstallProgress>(async (emit, abort) => {
        const relay = await relayHosts.install(server, { domain, baseImage, onEvent: emit, signal: abort })
        changes.emit('push')
        emit({ type: 'installed', relay })
      }, signal)
    },
    'push:status': async ({ name }) => {
      const webhook = push.webhook(name)
      return (
        webhook && {
          relay: webhook.relayUrl,
          branch: webhook.branch,
          connectedAt: webhook.createdAt,
          watcher: background.state(webhook.relayUrl),
        }
      )
    },
  }

  async function* watchDeliveries(name: string, signal: AbortSignal): AsyncGenerator<DeliveryRecord[]> {
    while (!signal.aborted) {
      yield await push.deliveries(name)
      await once(changes, 'push', {
        signal: AbortSignal.any([signal, AbortSignal.timeout(REFRESH_MS)]),
      }).catch(() => undefined)
    }
  }
}

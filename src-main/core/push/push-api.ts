import { once } from 'node:events'
import type { DeliveryRecord, HandlersOf, RelayInstallProgress, WatchActivity } from '../../api/contract'
import type { Changes } from '../changes'
import { boundedStream, progressMarks } from '../bounded-stream'
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

/** Activities `push:watch` holds before it stops reading the relay (exported for the flood test). */
export const WATCH_HIGH_WATER = 16

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
    'push:connect': async ({ name, relay, token, branch }) => {
      const connection = await githubApps.connectWebhook(name, { relay, token, branch })
      changes.emit('push')
      return connection
    },
    'push:watch': ({ relay, token }, signal) => {
      // A few activities an event: the watcher reads the relay's next event only once the reader has room.
      return boundedStream<WatchActivity>(
        (sink) =>
          push.watch({
            relay,
            token,
            signal: sink.signal,
            onActivity: (activity) => sink.push(activity),
            room: () => sink.room(),
          }),
        signal,
        { highWater: WATCH_HIGH_WATER },
      )
    },
    'push:install-relay': ({ server, domain, baseImage }, signal) => {
      // The install's output (an image build) pauses while the reader lags.
      return boundedStream<RelayInstallProgress>(
        async (sink) => {
          const relay = await relayHosts.install(server, {
            domain,
            baseImage,
            onEvent: (event) => sink.push(event),
            signal: sink.signal,
            flow: sink,
          })
          changes.emit('push')
          sink.push({ type: 'installed', relay })
        },
        signal,
        progressMarks<RelayInstallProgress>(),
      )
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

  /**
   * Holds one log at most (high mark 0): the next is read only once the reader took the last one, so
   * a slow reader pauses the reading instead of gathering stale logs.
   */
  function watchDeliveries(name: string, signal: AbortSignal) {
    return boundedStream<DeliveryRecord[]>(
      async (sink) => {
        while (!sink.signal.aborted) {
          sink.push(await push.deliveries(name))
          await sink.room()
          await once(changes, 'push', {
            signal: AbortSignal.any([sink.signal, AbortSignal.timeout(REFRESH_MS)]),
          }).catch(() => undefined)
        }
      },
      signal,
      { highWater: 0 },
    )
  }
}

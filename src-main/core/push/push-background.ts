import { setTimeout as sleep } from 'node:timers/promises'
import type { WatcherState } from '../../api/push'
import type { Changes } from '../changes'
import type { Push } from './push'

/** Retries of a watcher that could not start (no token, relay removed): doubling up to 5 min. */
const BACKOFF = { firstMs: 1_000, maxMs: 300_000 }

/**
 * Deploy on push while the core is open (the desktop app, `helvetia ui`): one watcher (`push.watch`)
 * per relay that apps are registered with, including relays connected later (on the `push` change),
 * each reconnecting with backoff until `stop`. What the watchers do is announced as `push` changes,
 * so open delivery logs refresh.
 */
export function createPushBackground({ push, changes }: { push: Push; changes: Changes }) {
  const states = new Map<string, WatcherState>()
  let controller: AbortController | null = null

  const set = (relay: string, state: WatcherState): void => {
    states.set(relay, state)
    changes.emit('push')
  }

  const follow = async (relay: string, signal: AbortSignal): Promise<void> => {
    let delay = BACKOFF.firstMs
    while (!signal.aborted) {
      set(relay, { state: 'connecting' })
      try {
        await push.watch({
          relay,
          signal,
          onActivity: (activity) => {
            if (activity.type === 'connected') {
              delay = BACKOFF.firstMs
              set(relay, { state: 'connected' })
            } else if (activity.type === 'disconnected') {
              set(relay, { state: 'retrying', error: activity.error, retryInMs: activity.retryInMs })
            } else if (activity.type === 'delivery') changes.emit('push')
          },
        })
      } catch (error) {
        if (signal.aborted) break
        const message = error instanceof Error ? error.message : String(error)
        set(relay, { state: 'retrying', error: message, retryInMs: delay })
        await sleep(delay, undefined, { signal }).catch(() => undefined)
        delay = Math.min(delay * 2, BACKOFF.maxMs)
      }
    }
  }

  /** Starts a watcher for each relay that has none yet. */
  const sync = (): void => {
    const signal = controller?.signal
    if (!signal || signal.aborted) return
    for (const relay of push.relays()) {
      if (states.has(relay)) continue
      states.set(relay, { state: 'connecting' })
      void follow(relay, signal).catch(() => undefined)
    }
  }

  return {
    /** Idempotent; the core calls `stop` when it closes. */
    start(): void {
      if (controller) return
      controller = new AbortController()
      changes.on('push', sync)
      sync()
    },
    stop(): void {
      changes.off('push', sync)
      controller?.abort()
    },
    /** The watcher's state for `relay`, or null when none runs (not started, as in the CLI). */
    state: (relay: string): WatcherState | null => states.get(relay) ?? null,
  }
}

export type PushBackground = ReturnType<typeof createPushBackground>

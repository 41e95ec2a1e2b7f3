import { setTimeout as sleep } from 'node:timers/promises'
import type { WatchActivity } from '../../api/contract'
import { UserError } from '../errors'
import { decidePush } from './push-event'
import type { DeliveryStatus, RelayClient, RelayEvent } from './relay-client'

/** A webhook this computer registered: the app it deploys, its branch and the secret from the keychain. */
export interface WatchedHook {
  app: string
  branch: string
  secret: string
}

export type { WatchActivity }

export interface WatchOptions {
  client: RelayClient
  /** The local webhook for a relay hook id; null for one this computer did not register. */
  hook: (hookId: string) => Promise<WatchedHook | null>
  /**
   * Deploys `commit` and resolves when it has finished. Awaits `started` right before the deployment
   * starts (after the server found the commit on the app's branch; GIT_COMMIT_NOT_ON_BRANCH when not).
   */
  deploy: (
    app: string,
    commit: string,
    started: () => Promise<void>,
  ) => Promise<{ id: string; status: string; error?: { message: string } | null }>
  signal: AbortSignal
  onActivity?: (activity: WatchActivity) => void
  /**
   * Resolves once the activity's reader has room: the next event is read from the relay only then, so
   * a slow reader holds the relay's stream back instead of gathering activity.
   */
  room?: () => Promise<void>
  /** Reconnection delays: doubling from `firstMs` up to `maxMs` (default 500 ms to 30 s). */
  backoff?: { firstMs: number; maxMs: number }
  /** Reconnect when the relay sends nothing (not even a heartbeat) for this long. */
  idleMs?: number
}

interface Outcome {
  status: DeliveryStatus
  detail?: string
  announced?: boolean
}

/** Outcomes remembered for redeliveries of events whose report or ack did not reach the relay. */
const REMEMBERED = 1000

/**
 * Follows the relay's event stream until `signal` aborts: each event is checked (signature, branch),
 * deployed when it is a push to the app's branch, reported to the relay's delivery log and then
 * acknowledged. Events are handled one at a time, in order. A dropped connection is retried with
 * backoff; the relay redelivers whatever was not acknowledged, and an event already handled in this run
 * is only reported and acknowledged again, never deployed twice.
 */
export async function watchRelay(options: WatchOptions): Promise<void> {
  const { client, signal, onActivity = () => {} } = options
  const { firstMs, maxMs } = options.backoff ?? { firstMs: 500, maxMs: 30_000 }
  const outcomes = new Map<string, Outcome>()
  let delay = firstMs

  const handle = async (event: RelayEvent) => {
    const hook = await options.hook(event.hookId)
    if (!hook) {
      // Registered by another computer with the same relay: left for its watcher.
      onActivity({ type: 'not-ours', seq: event.seq, hookId: event.hookId })
      return
    }
    let outcome = outcomes.get(event.delivery)
    if (!outcome) {
      outcome = await decide(event, hook)
      outcomes.set(event.delivery, outcome)
      if (outcomes.size > REMEMBERED) outcomes.delete(outcomes.keys().next().value as string)
    }
    await client.report(event.delivery, outcome.status, outcome.detail)
    // Announced once the relay's delivery log has it, so what the user sees there matches.
    if (!outcome.announced) {
      outcome.announced = true
      const { status, detail } = outcome
      onActivity({
        type: 'delivery',
        seq: event.seq,
        app: hook.app,
        delivery: event.delivery,
        status,
        detail,
      })
    }
    await client.ack(event.seq)
  }

  const decide = async (event: RelayEvent, hook: WatchedHook): Promise<Outcome> => {
    const decision = decidePush(event, hook)
    if (decision.action === 'refuse') return { status: 'refused-signature', detail: decision.detail }
    if (decision.action === 'ignore-event') return { status: 'ignored-event', detail: decision.detail }
    if (decision.action === 'ignore-branch') return { status: 'ignored-branch', detail: decision.detail }
    const started = `commit ${decision.commit.slice(0, 12)} on ${decision.ref}`
    // Reported right before the deployment starts: if the relay cannot hear it, nothing has started and
    // the event comes again.
    let unheard: unknown
    const announce = async () => {
      try {
        await client.report(event.delivery, 'deploy-started', started)
      } catch (error) {
        unheard = error
        throw error
      }
      onActivity({
        type: 'delivery',
        seq: event.seq,
        app: hook.app,
        delivery: event.delivery,
        status: 'deploy-started',
        detail: started,
      })
    }
    try {
      const deployment = await options.deploy(hook.app, decision.commit, announce)
      return deployment.status === 'succeeded'
        ? { status: 'deployed', detail: `${started}: deployment ${deployment.id}` }
        : {
            status: 'failed',
            detail: `${started}: deployment ${deployment.id} ${deployment.status}: ${deployment.error?.message ?? 'no reason given'}`,
          }
    } catch (error) {
      if (unheard) throw unheard
      // Not on the app's branch (a replayed or foreign push): refused, and nothing started.
      if (error instanceof UserError && error.code === 'GIT_COMMIT_NOT_ON_BRANCH') {
        return { status: 'refused-commit', detail: `${started}: ${error.message}` }
      }
      return {
        status: 'failed',
        detail: `${started}: ${error instanceof Error ? error.message : String(error)}`,
      }
    }
  }

  while (!signal.aborted) {
    try {
      for await (const line of client.events(0, { signal, idleMs: options.idleMs })) {
        if (line.type === 'hello') {
          delay = firstMs
          onActivity({ type: 'connected' })
        } else if (line.type === 'event') {
          await handle(line)
          await options.room?.()
        }
      }
    } catch (error) {
      if (signal.aborted) break
      onActivity({
        type: 'disconnected',
        error: error instanceof Error ? error.message : String(error),
        retryInMs: delay,
      })
      await sleep(delay, undefined, { signal }).catch(() => undefined)
      delay = Math.min(delay * 2, maxMs)
    }
  }
}

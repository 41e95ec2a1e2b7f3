// @ts-check
// What the relay keeps in its data folder, all of it written durably (relay/durable.js) before the
// relay answers:
//   token            the admin/subscriber token (0600), unless it is given (a file or the environment)
//   hooks.json       the registered apps: hook id, branch, webhook secret (0600)
//   events/N.json    one file per accepted, not yet acknowledged event; an ack deletes it (relay/event-queue.js)
//   deliveries.log   append-only NDJSON: what happened to each delivery (relay/delivery-log.js)
//   incoming/        webhook bodies still arriving or being checked (relay/webhook-body.js); emptied on start
// A write that fails (a full disk) leaves nothing half done: a failed append is cut off again, a failed
// replace leaves the old file, and an event whose log record could not be written is removed again.
import { randomBytes } from 'node:crypto'
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { openDeliveryLog } from './delivery-log.js'
import { readJsonFile, writeDurably } from './durable.js'
import { openEventQueue } from './event-queue.js'
import { pushIdentity } from './push-payload.js'
import { loadToken } from './relay-token.js'

export { COMPACT_AT } from './delivery-log.js'
export { writeDurably } from './durable.js'

/**
 * @typedef {{ app: string, branch: string | null, hookId: string, secret: string, createdAt: string,
 *   serverSide?: boolean }} Hook (serverSide: the relay's own server deploys it, see relay/spool.js)
 * @typedef {'received' | 'refused-signature' | 'refused-commit' | 'refused-size' | 'duplicate' | 'ignored-event'
 *   | 'ignored-branch' | 'deploy-started' | 'deployed' | 'failed'} DeliveryStatus
 * @typedef {{ at: string, app: string, hookId: string, delivery: string | null, event: string | null,
 *   status: DeliveryStatus, seq?: number, detail?: string, ref?: string, commit?: string,
 *   pushedAt?: number }} DeliveryRecord (ref, commit, pushedAt: what a received push carried)
 * @typedef {{ seq: number, hookId: string, app: string, delivery: string, event: string, signature: string,
 *   contentType: string, bodyBase64: string, receivedAt: string }} RelayEvent
 */

/**
 * Opens (creating when needed) the relay's data folder.
 * @param {string} dir
 * @param {{ tokenFile?: string, token?: string, log?: (line: string) => void }} [options]
 */
export async function openRelayStore(dir, options = {}) {
  const { log = () => {} } = options
  const eventsDir = join(dir, 'events')
  const incomingDir = join(dir, 'incoming')
  await mkdir(eventsDir, { recursive: true, mode: 0o700 })
  await rm(incomingDir, { recursive: true, force: true })
  await mkdir(incomingDir, { mode: 0o700 })
  const { token, tokenCreated } = await loadToken(dir, options)
  /** @type {Hook[]} */
  let hooks = await readJsonFile(join(dir, 'hooks.json'), [])
  const deliveryLog = await openDeliveryLog(dir, log)
  const queue = await openEventQueue(eventsDir)
  // An event stored just before a crash, before its log record: recorded now.
  for (const seq of queue.unacked()) {
    const event = await queue.read(seq)
    if (!event || deliveryLog.accepted(event.delivery)) continue
    const record = received(event)
    await deliveryLog.append(record)
    deliveryLog.remember(record)
  }
  const lastSeq = Math.max(0, ...queue.unacked(), ...deliveryLog.records().map((r) => r.seq ?? 0))
  const accept = acceptor(deliveryLog, queue, lastSeq)

  let chain = Promise.resolve()
  /** Runs state changes one at a time, in arrival order: sequence numbers follow the durable order. */
  const serial = /** @type {<T>(work: () => Promise<T>) => Promise<T>} */ (
    (work) => {
      const run = chain.then(work)
      chain = run.then(
        () => undefined,
        () => undefined,
      )
      return run
    }
  )

  return {
    token,
    /** True when this start generated the token (it is shown once). */
    tokenCreated,
    /** Where webhook bodies are written while they arrive (relay/webhook-body.js). */
    incomingDir,

    /** @param {string} hookId */
    hookById: (hookId) => hooks.find((h) => h.hookId === hookId) ?? null,

    /**
     * Registers an app, or gives it a new hook and secret: its old webhook URL stops working.
     * @param {string} app
     * @param {string | null} branch
     * @param {boolean} [serverSide] deployed by this relay's server, not by a subscriber
     */
    register: (app, branch, serverSide = false) =>
      serial(async () => {
        const hook = newHook(app, branch, serverSide)
        const next = [...hooks.filter((h) => h.app !== app), hook]
        await writeDurably(dir, 'hooks.json', `${JSON.stringify(next, null, 2)}\n`, 0o600)
        hooks = next
        return hook
      }),

    /** @type {typeof accept} */
    accept: (hook, input) => serial(() => accept(hook, input)),

    /**
     * Records what happened to a request that was not accepted (refused, a ping, an ignored event).
     * @param {Hook} hook
     * @param {{ delivery: string | null, event: string | null, status: DeliveryStatus, detail?: string }} entry
     */
    record: (hook, entry) =>
      serial(() => deliveryLog.append({ at: new Date().toISOString(), ...pick(hook), ...entry })),

    /**
     * A subscriber's report on an accepted delivery; false when the relay never accepted it.
     * @param {string} delivery
     * @param {DeliveryStatus} status
     * @param {string} [detail]
     */
    report: (delivery, status, detail) =>
      serial(async () => {
        const first = deliveryLog.accepted(delivery)
        if (!first) return false
        const { app, hookId, event } = first
        await deliveryLog.append({
          at: new Date().toISOString(),
          app,
          hookId,
          delivery,
          event,
          status,
          detail,
        })
        return true
      }),

    /** @param {string} app */
    deliveries: (app) => deliveryLog.records().filter((r) => r.app === app),
    nextUnacked: queue.nextUnacked,
    unacked: queue.unacked,
    readEvent: queue.read,
    /** @param {number} seq */
    ack: (seq) => serial(() => queue.ack(seq)),
    onEvent: queue.onEvent,
    close: () => serial(() => deliveryLog.close()),
  }
}

/**
 * The store's `accept`: stores a signed event durably and queues it, unless its delivery, or the same
 * push of this hook under another delivery id, was accepted before. Throws when it could not be stored
 * (nothing of it is then kept).
 * @param {Awaited<ReturnType<typeof openDeliveryLog>>} deliveryLog
 * @param {Awaited<ReturnType<typeof openEventQueue>>} queue
 * @param {number} lastSeq
 */
function acceptor(deliveryLog, queue, lastSeq) {
  let nextSeq = lastSeq + 1
  /**
   * @param {Hook} hook
   * @param {{ delivery: string, event: string, signature: string, contentType: string, body: Buffer }} input
   * @returns {Promise<{ seq: number } | { duplicate: true }>}
   */
  return async (hook, input) => {
    const at = new Date().toISOString()
    const push = input.event === 'push' ? pushIdentity(input.body, input.contentType) : null
    const redelivered = deliveryLog.accepted(input.delivery)
    const pushedBefore = push ? deliveryLog.pushedBefore(hook.hookId, push) : undefined
    if (redelivered || pushedBefore) {
      const detail = redelivered
        ? 'this delivery was accepted before (a redelivery)'
        : `the push of ${push?.commit} to ${push?.ref} was accepted before as delivery ${pushedBefore?.delivery}`
      const { delivery, event } = input
      await deliveryLog.append({ at, ...pick(hook), delivery, event, status: 'duplicate', detail })
      return { duplicate: true }
    }
    /** @type {RelayEvent} */
    const event = {
      seq: nextSeq++,
      ...pick(hook),
      delivery: input.delivery,
      event: input.event,
      signature: input.signature,
      contentType: input.contentType,
      bodyBase64: input.body.toString('base64'),
      receivedAt: at,
    }
    const record = received(event, push)
    // Not stored: the sender is told so, and no event is left behind to be deployed later.
    await queue.add(event, () => deliveryLog.append(record))
    deliveryLog.remember(record)
    return { seq: event.seq }
  }
}

/** @typedef {Awaited<ReturnType<typeof openRelayStore>>} RelayStore */

/**
 * @param {string} app
 * @param {string | null} branch
 * @param {boolean} serverSide
 * @returns {Hook}
 */
const newHook = (app, branch, serverSide) => ({
  app,
  branch,
  hookId: randomBytes(18).toString('base64url'),
  secret: randomBytes(32).toString('hex'),
  createdAt: new Date().toISOString(),
  ...(serverSide ? { serverSide } : {}),
})

/** @param {Hook} hook */
const pick = (hook) => ({ app: hook.app, hookId: hook.hookId })

/**
 * @param {RelayEvent} event
 * @param {import('./push-payload.js').PushIdentity | null} [push] read from its body when not given
 * @returns {DeliveryRecord}
 */
const received = (event, push = eventPush(event)) => ({
  at: event.receivedAt,
  app: event.app,
  hookId: event.hookId,
  delivery: event.delivery,
  event: event.event,
  status: 'received',
  seq: event.seq,
  ...push,
})

/** @param {RelayEvent} event */
const eventPush = (event) =>
  event.event === 'push' ? pushIdentity(Buffer.from(event.bodyBase64, 'base64'), event.contentType) : null

// @ts-check
// What the relay keeps in its data folder, all of it written durably (data, fsync, rename, fsync of the
// folder) before the relay answers:
//   token            the admin/subscriber token (0600), unless it is given (a file or the environment)
//   hooks.json       the registered apps: hook id, branch, webhook secret (0600)
//   events/N.json    one file per accepted, not yet acknowledged event; an ack deletes it
//   deliveries.log   append-only NDJSON: what happened to each delivery (the per-app delivery log)
import { randomBytes } from 'node:crypto'
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * @typedef {{ app: string, branch: string | null, hookId: string, secret: string, createdAt: string,
 *   serverSide?: boolean }} Hook (serverSide: the relay's own server deploys it, see relay/spool.js)
 * @typedef {'received' | 'refused-signature' | 'refused-commit' | 'refused-size' | 'duplicate' | 'ignored-event'
 *   | 'ignored-branch' | 'deploy-started' | 'deployed' | 'failed'} DeliveryStatus
 * @typedef {{ at: string, app: string, hookId: string, delivery: string | null, event: string | null,
 *   status: DeliveryStatus, seq?: number, detail?: string }} DeliveryRecord
 * @typedef {{ seq: number, hookId: string, app: string, delivery: string, event: string, signature: string,
 *   contentType: string, bodyBase64: string, receivedAt: string }} RelayEvent
 */

/** The log is rewritten (newest records kept per app) once it holds this many records. */
const COMPACT_AT = 20_000
const KEEP_PER_APP = 1_000
const EVENT_FILE = /^(\d{12})\.json$/

/** @param {number} seq */
const eventFile = (seq) => `${String(seq).padStart(12, '0')}.json`

/**
 * Opens (creating when needed) the relay's data folder.
 * @param {string} dir
 * @param {{ tokenFile?: string, token?: string }} [options]
 */
export async function openRelayStore(dir, options = {}) {
  const eventsDir = join(dir, 'events')
  await mkdir(eventsDir, { recursive: true, mode: 0o700 })
  const { token, tokenCreated } = await loadToken(dir, options)

  /** @type {Hook[]} */
  let hooks = await readJson(join(dir, 'hooks.json'), [])
  /** @type {DeliveryRecord[]} */
  let records = (await readFile(join(dir, 'deliveries.log'), 'utf8').catch(orEmpty))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
  let log = await open(join(dir, 'deliveries.log'), 'a', 0o600)

  /** Accepted deliveries (GitHub's ids are unique): what de-duplicates redeliveries. */
  const accepted = new Map(
    records.filter((r) => r.status === 'received' && r.seq).map((r) => [r.delivery, r]),
  )
  /** @type {number[]} Unacknowledged event numbers, ascending. */
  const unacked = []
  for (const name of (await readdir(eventsDir)).sort()) {
    const seq = EVENT_FILE.exec(name)?.[1]
    if (seq) unacked.push(Number(seq))
    else if (name.startsWith('.tmp-')) await unlink(join(eventsDir, name))
  }
  let nextSeq = Math.max(0, ...unacked, ...records.map((r) => r.seq ?? 0)) + 1

  /** @type {Set<(seq: number) => void>} */
  const listeners = new Set()
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

  /** @param {DeliveryRecord} record */
  const append = async (record) => {
    await log.appendFile(`${JSON.stringify(record)}\n`)
    await log.sync()
    records.push(record)
    if (records.length >= COMPACT_AT) await compact()
  }

  /** Keeps the newest records of each app (and the highest sequence number, so it never goes back). */
  const compact = async () => {
    const kept = new Map()
    const perApp = new Map()
    for (let i = records.length - 1; i >= 0; i--) {
      const record = /** @type {DeliveryRecord} */ (records[i])
      const count = perApp.get(record.app) ?? 0
      if (count < KEEP_PER_APP || record.seq === nextSeq - 1) kept.set(i, record)
      perApp.set(record.app, count + 1)
    }
    records = [...kept.entries()].sort((a, b) => a[0] - b[0]).map(([, record]) => record)
    await writeDurably(dir, 'deliveries.log', records.map((r) => `${JSON.stringify(r)}\n`).join(''))
    await log.close()
    log = await open(join(dir, 'deliveries.log'), 'a', 0o600)
    const still = new Set(records)
    for (const [delivery, record] of accepted) if (!still.has(record)) accepted.delete(delivery)
  }

  // An event file written just before a crash, before its log record: record it now.
  for (const seq of unacked) {
    /** @type {RelayEvent} */
    const event = JSON.parse(await readFile(join(eventsDir, eventFile(seq)), 'utf8'))
    if (accepted.has(event.delivery)) continue
    const record = received(event)
    await append(record)
    accepted.set(event.delivery, record)
  }

  return {
    token,
    /** True when this start generated the token (it is shown once). */
    tokenCreated,

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
        /** @type {Hook} */
        const hook = {
          app,
          branch,
          hookId: randomBytes(18).toString('base64url'),
          secret: randomBytes(32).toString('hex'),
          createdAt: new Date().toISOString(),
          ...(serverSide ? { serverSide } : {}),
        }
        const next = [...hooks.filter((h) => h.app !== app), hook]
        await writeDurably(dir, 'hooks.json', `${JSON.stringify(next, null, 2)}\n`, 0o600)
        hooks = next
        return hook
      }),

    /**
     * Stores a signed event durably and queues it, unless its delivery was accepted before.
     * @param {Hook} hook
     * @param {{ delivery: string, event: string, signature: string, contentType: string, body: Buffer }} input
     * @returns {Promise<{ seq: number } | { duplicate: true }>}
     */
    accept: (hook, input) =>
      serial(async () => {
        const at = new Date().toISOString()
        if (accepted.has(input.delivery)) {
          await append({
            at,
            ...pick(hook),
            delivery: input.delivery,
            event: input.event,
            status: 'duplicate',
          })
          return { duplicate: true }
        }
        const seq = nextSeq++
        /** @type {RelayEvent} */
        const event = {
          seq,
          ...pick(hook),
          delivery: input.delivery,
          event: input.event,
          signature: input.signature,
          contentType: input.contentType,
          bodyBase64: input.body.toString('base64'),
          receivedAt: at,
        }
        await writeDurably(eventsDir, eventFile(seq), JSON.stringify(event))
        const record = received(event)
        await append(record)
        accepted.set(event.delivery, record)
        unacked.push(seq)
        for (const listener of listeners) listener(seq)
        return { seq }
      }),

    /**
     * Records what happened to a request that was not accepted (refused, a ping, an ignored event).
     * @param {Hook} hook
     * @param {{ delivery: string | null, event: string | null, status: DeliveryStatus, detail?: string }} entry
     */
    record: (hook, entry) => serial(() => append({ at: new Date().toISOString(), ...pick(hook), ...entry })),

    /**
     * A subscriber's report on an accepted delivery; false when the relay never accepted it.
     * @param {string} delivery
     * @param {DeliveryStatus} status
     * @param {string} [detail]
     */
    report: (delivery, status, detail) =>
      serial(async () => {
        const first = accepted.get(delivery)
        if (!first) return false
        const { app, hookId, event } = first
        await append({ at: new Date().toISOString(), app, hookId, delivery, event, status, detail })
        return true
      }),

    /** @param {string} app */
    deliveries: (app) => records.filter((r) => r.app === app),

    /**
     * The first unacknowledged event after `after`.
     * @param {number} after
     */
    nextUnacked: (after) => unacked.find((seq) => seq > after),

    /** The unacknowledged event numbers, ascending. */
    unacked: () => [...unacked],

    /**
     * @param {number} seq
     * @returns {Promise<RelayEvent | null>} null once acknowledged
     */
    readEvent: async (seq) => {
      const text = await readFile(join(eventsDir, eventFile(seq)), 'utf8').catch(orNull)
      return text === null ? null : JSON.parse(text)
    },

    /**
     * Acknowledges (and deletes) an event. The folder is not fsynced: a crash right after only means
     * the event is delivered once more, which subscribers tolerate.
     * @param {number} seq
     */
    ack: (seq) =>
      serial(async () => {
        const at = unacked.indexOf(seq)
        if (at < 0) return false
        await unlink(join(eventsDir, eventFile(seq)))
        unacked.splice(at, 1)
        return true
      }),

    /**
     * Calls `listener` with the number of every event accepted from now on.
     * @param {(seq: number) => void} listener
     */
    onEvent: (listener) => {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },

    close: () => serial(() => log.close()),
  }
}

/** @typedef {Awaited<ReturnType<typeof openRelayStore>>} RelayStore */

/** @param {Hook} hook */
const pick = (hook) => ({ app: hook.app, hookId: hook.hookId })

/**
 * @param {RelayEvent} event
 * @returns {DeliveryRecord}
 */
const received = (event) => ({
  at: event.receivedAt,
  app: event.app,
  hookId: event.hookId,
  delivery: event.delivery,
  event: event.event,
  status: 'received',
  seq: event.seq,
})

/**
 * @param {string} dir
 * @param {{ tokenFile?: string, token?: string }} given
 */
async function loadToken(dir, { tokenFile, token: given }) {
  if (given !== undefined) {
    if (given.trim().length < 32) throw new Error('the relay token must have at least 32 characters')
    return { token: given.trim(), tokenCreated: false }
  }
  if (tokenFile) {
    const token = (await readFile(tokenFile, 'utf8')).trim()
    if (token.length < 32) throw new Error(`${tokenFile} must hold a token of at least 32 characters`)
    return { token, tokenCreated: false }
  }
  const existing = await readFile(join(dir, 'token'), 'utf8').catch(orNull)
  if (existing !== null) return { token: existing.trim(), tokenCreated: false }
  const token = randomBytes(32).toString('hex')
  await writeDurably(dir, 'token', `${token}\n`, 0o600)
  return { token, tokenCreated: true }
}

/**
 * Replaces `dir/name` all at once: a crash leaves the old or the new content, never a part.
 * @param {string} dir
 * @param {string} name
 * @param {string} data
 * @param {number} [mode]
 */
export async function writeDurably(dir, name, data, mode = 0o600) {
  const tmp = join(dir, `.tmp-${name}`)
  const file = await open(tmp, 'w', mode)
  try {
    await file.writeFile(data)
    await file.sync()
  } finally {
    await file.close()
  }
  await rename(tmp, join(dir, name))
  const folder = await open(dir, 'r')
  try {
    await folder.sync()
  } finally {
    await folder.close()
  }
}

/**
 * @template T
 * @param {string} path
 * @param {T} fallback
 * @returns {Promise<T>}
 */
async function readJson(path, fallback) {
  const text = await readFile(path, 'utf8').catch(orNull)
  return text === null ? fallback : JSON.parse(text)
}

/** @param {unknown} error */
function orNull(error) {
  if (/** @type {NodeJS.ErrnoException} */ (error).code === 'ENOENT') return null
  throw error
}

/** @param {unknown} error */
function orEmpty(error) {
  return orNull(error) ?? ''
}

// @ts-check
// What the relay keeps in its data folder, all of it written durably (data, fsync, rename, fsync of the
// folder) before the relay answers:
//   token            the admin/subscriber token (0600), unless it is given (a file or the environment)
//   hooks.json       the registered apps: hook id, branch, webhook secret (0600)
//   events/N.json    one file per accepted, not yet acknowledged event; an ack deletes it
//   deliveries.log   append-only NDJSON: what happened to each delivery (the per-app delivery log)
//   incoming/        webhook bodies still arriving or being checked (relay/webhook-body.js); emptied on start
// A write that fails (a full disk) leaves nothing half done: a failed append is cut off again, a failed
// replace leaves the old file, and an event whose log record could not be written is removed again.
import { randomBytes } from 'node:crypto'
import { mkdir, open, readdir, readFile, rename, rm, truncate, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { pushIdentity } from './push-payload.js'

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

/** The log is rewritten (newest records kept per app) once it holds this many records. */
export const COMPACT_AT = 20_000
const KEEP_PER_APP = 1_000
const EVENT_FILE = /^(\d{12})\.json$/

/** @param {number} seq */
const eventFile = (seq) => `${String(seq).padStart(12, '0')}.json`

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
  let hooks = await readJson(join(dir, 'hooks.json'), [])
  const logPath = join(dir, 'deliveries.log')
  const loaded = await readLog(logPath, log)
  let records = loaded.records
  /** The length of the log up to its last complete record: where a failed append is cut back to. */
  let logSize = loaded.size
  let logFile = await open(logPath, 'a', 0o600)
  /** Set while a failed append could not be cut back yet: the next append does it first. */
  let logTorn = false

  /** Accepted deliveries (GitHub's ids are unique): what de-duplicates redeliveries. */
  const accepted = new Map(
    records.filter((r) => r.status === 'received' && r.seq).map((r) => [r.delivery, r]),
  )
  /**
   * Accepted pushes by hook and push (see pushKey): what de-duplicates a signed body sent again under
   * another delivery id, which the signature does not cover.
   * @type {Map<string, DeliveryRecord>}
   */
  const pushes = new Map()
  for (const record of accepted.values()) {
    if (record.commit && record.ref) pushes.set(pushKey(record.hookId, record), record)
  }
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

  /**
   * Appends a record all or nothing: when the write or its fsync fails, the log is cut back to its last
   * complete record (a half line would otherwise glue onto the next one) and the error is thrown.
   * @param {DeliveryRecord} record
   */
  const append = async (record) => {
    const line = Buffer.from(`${JSON.stringify(record)}\n`)
    try {
      if (logTorn) await logFile.truncate(logSize)
      logTorn = false
      await logFile.appendFile(line)
      await logFile.sync()
    } catch (error) {
      logTorn = true
      await logFile.truncate(logSize).then(
        () => void (logTorn = false),
        () => undefined,
      )
      throw error
    }
    logSize += line.length
    records.push(record)
    // Compacting only saves space: when it fails (the disk is full), the log stays whole and it is
    // tried again on the next append.
    if (records.length >= COMPACT_AT) {
      await compact().catch((error) => log(`deliveries.log not compacted, tried again later: ${error}`))
    }
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
    const keep = [...kept.entries()].sort((a, b) => a[0] - b[0]).map(([, record]) => record)
    const text = Buffer.from(keep.map((r) => `${JSON.stringify(r)}\n`).join(''))
    await writeDurably(dir, 'deliveries.log', text)
    const reopened = await open(logPath, 'a', 0o600)
    await logFile.close().catch(() => undefined)
    logFile = reopened
    logSize = text.length
    records = keep
    const still = new Set(records)
    for (const [delivery, record] of accepted) if (!still.has(record)) accepted.delete(delivery)
    for (const [key, record] of pushes) if (!still.has(record)) pushes.delete(key)
  }

  /** @param {DeliveryRecord} record */
  const remember = (record) => {
    accepted.set(record.delivery, record)
    if (record.commit && record.ref) pushes.set(pushKey(record.hookId, record), record)
  }

  // An event file written just before a crash, before its log record: record it now.
  for (const seq of unacked) {
    /** @type {RelayEvent} */
    const event = JSON.parse(await readFile(join(eventsDir, eventFile(seq)), 'utf8'))
    if (accepted.has(event.delivery)) continue
    const record = received(event)
    await append(record)
    remember(record)
  }

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
     * Stores a signed event durably and queues it, unless its delivery, or the same push of this hook
     * under another delivery id, was accepted before. Throws when it could not be stored (nothing of it
     * is then kept).
     * @param {Hook} hook
     * @param {{ delivery: string, event: string, signature: string, contentType: string, body: Buffer }} input
     * @returns {Promise<{ seq: number } | { duplicate: true }>}
     */
    accept: (hook, input) =>
      serial(async () => {
        const at = new Date().toISOString()
        const push = input.event === 'push' ? pushIdentity(input.body, input.contentType) : null
        const redelivered = accepted.get(input.delivery)
        const pushedBefore = push ? pushes.get(pushKey(hook.hookId, push)) : undefined
        if (redelivered || pushedBefore) {
          const detail = redelivered
            ? 'this delivery was accepted before (a redelivery)'
            : `the push of ${push?.commit} to ${push?.ref} was accepted before as delivery ${pushedBefore?.delivery}`
          await append({
            at,
            ...pick(hook),
            delivery: input.delivery,
            event: input.event,
            status: 'duplicate',
            detail,
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
        const record = received(event, push)
        try {
          await writeDurably(eventsDir, eventFile(seq), JSON.stringify(event))
          await append(record)
        } catch (error) {
          // Not stored: the sender is told so, and no event is left behind to be deployed later.
          await unlink(join(eventsDir, eventFile(seq))).catch(orNull)
          throw error
        }
        remember(record)
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

    close: () => serial(() => logFile.close()),
  }
}

/** @typedef {Awaited<ReturnType<typeof openRelayStore>>} RelayStore */

/** @param {Hook} hook */
const pick = (hook) => ({ app: hook.app, hookId: hook.hookId })

/**
 * One push among a hook's deliveries: the same ref, commit and push time is the same push.
 * @param {string} hookId
 * @param {{ ref?: string, commit?: string, pushedAt?: number }} push
 */
const pushKey = (hookId, { ref, commit, pushedAt }) => JSON.stringify([hookId, ref, commit, pushedAt ?? null])

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

/**
 * Reads the delivery log. A record torn by a failed write (a full disk under a relay before this one
 * cut failed appends back) is skipped and reported: at the end it is cut off, so appends start on a
 * line of their own; inside, the whole record an older relay glued onto it is kept.
 * @param {string} path
 * @param {(line: string) => void} log
 * @returns {Promise<{ records: DeliveryRecord[], size: number }>}
 */
async function readLog(path, log) {
  const bytes = await readFile(path).catch(orNull)
  if (!bytes) return { records: [], size: 0 }
  const size = bytes.lastIndexOf(0x0a) + 1
  if (size < bytes.length) {
    log(`deliveries.log: skipped a torn last record (${bytes.length - size} bytes)`)
    await truncate(path, size)
  }
  /** @type {DeliveryRecord[]} */
  const records = []
  const lines = bytes.subarray(0, size).toString('utf8').split('\n')
  for (const [index, line] of lines.entries()) {
    if (!line) continue
    const whole = parseRecord(line)
    if (whole) {
      records.push(whole)
      continue
    }
    const start = line.lastIndexOf('{"at":')
    const glued = start > 0 ? parseRecord(line.slice(start)) : null
    if (glued) records.push(glued)
    log(
      `deliveries.log: skipped a torn record on line ${index + 1} (${glued ? start : line.length} characters)`,
    )
  }
  return { records, size }
}

/**
 * @param {string} line
 * @returns {DeliveryRecord | null}
 */
function parseRecord(line) {
  try {
    const value = JSON.parse(line)
    return value && typeof value === 'object' && typeof value.status === 'string' ? value : null
  } catch {
    return null
  }
}

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
 * Replaces `dir/name` all at once: a crash or a failed write leaves the old or the new content, never a
 * part (and no temporary file behind when the write fails).
 * @param {string} dir
 * @param {string} name
 * @param {string | Buffer} data
 * @param {number} [mode]
 */
export async function writeDurably(dir, name, data, mode = 0o600) {
  const tmp = join(dir, `.tmp-${name}`)
  try {
    const file = await open(tmp, 'w', mode)
    try {
      await file.writeFile(data)
      await file.sync()
    } finally {
      await file.close()
    }
    await rename(tmp, join(dir, name))
  } catch (error) {
    // The write's error is the one to report.
    await unlink(tmp).catch(() => undefined)
    throw error
  }
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

// @ts-check
// deliveries.log: append-only NDJSON of what happened to each delivery (the per-app delivery log), and
// the indexes that de-duplicate deliveries from it. A failed append (a full disk) is cut off again, so
// the log never holds half a record.
import { open, readFile, truncate } from 'node:fs/promises'
import { join } from 'node:path'
import { orNull, writeDurably } from './durable.js'

/** The log is rewritten (newest records kept per app) once it holds this many records. */
export const COMPACT_AT = 20_000
const KEEP_PER_APP = 1_000

/**
 * Opens `dir/deliveries.log`.
 * @param {string} dir
 * @param {(line: string) => void} log
 */
export async function openDeliveryLog(dir, log) {
  const logPath = join(dir, 'deliveries.log')
  const loaded = await readLog(logPath, log)
  let records = loaded.records
  /** The length of the log up to its last complete record: where a failed append is cut back to. */
  let logSize = loaded.size
  let logFile = await open(logPath, 'a', 0o600)
  /** Set while a failed append could not be cut back yet: the next append does it first. */
  let logTorn = false

  /**
   * Accepted deliveries (GitHub's ids are unique): what de-duplicates redeliveries.
   * @type {Map<string | null, import('./relay-store.js').DeliveryRecord>}
   */
  const accepted = new Map()
  /**
   * Accepted pushes by hook and push (see pushKey): what de-duplicates a signed body sent again under
   * another delivery id, which the signature does not cover.
   * @type {Map<string, import('./relay-store.js').DeliveryRecord>}
   */
  const pushes = new Map()
  /** @param {import('./relay-store.js').DeliveryRecord} record */
  const remember = (record) => {
    accepted.set(record.delivery, record)
    if (record.commit && record.ref) pushes.set(pushKey(record.hookId, record), record)
  }
  for (const record of records) if (record.status === 'received' && record.seq) remember(record)

  /** Keeps the newest records of each app (and the highest sequence number, so it never goes back). */
  const compact = async () => {
    const lastSeq = Math.max(0, ...records.map((r) => r.seq ?? 0))
    const kept = new Map()
    const perApp = new Map()
    for (let i = records.length - 1; i >= 0; i--) {
      const record = /** @type {import('./relay-store.js').DeliveryRecord} */ (records[i])
      const count = perApp.get(record.app) ?? 0
      if (count < KEEP_PER_APP || record.seq === lastSeq) kept.set(i, record)
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

  return {
    records: () => records,
    /** The first record of an accepted delivery. */
    accepted: (/** @type {string} */ delivery) => accepted.get(delivery),
    /**
     * The record of this push of the hook accepted before, under any delivery id.
     * @param {string} hookId
     * @param {{ ref?: string, commit?: string, pushedAt?: number }} push
     */
    pushedBefore: (hookId, push) => pushes.get(pushKey(hookId, push)),
    /** Indexes an accepted delivery's record (appended already). */
    remember,

    /**
     * Appends a record all or nothing: when the write or its fsync fails, the log is cut back to its
     * last complete record (a half line would otherwise glue onto the next one) and the error is thrown.
     * @param {import('./relay-store.js').DeliveryRecord} record
     */
    async append(record) {
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
    },

    close: () => logFile.close(),
  }
}

/**
 * One push among a hook's deliveries: the same ref, commit and push time is the same push.
 * @param {string} hookId
 * @param {{ ref?: string, commit?: string, pushedAt?: number }} push
 */
const pushKey = (hookId, { ref, commit, pushedAt }) => JSON.stringify([hookId, ref, commit, pushedAt ?? null])

/**
 * Reads the delivery log. A record torn by a failed write (a full disk under a relay before this one
 * cut failed appends back) is skipped and reported: at the end it is cut off, so appends start on a
 * line of their own; inside, the whole record an older relay glued onto it is kept.
 * @param {string} path
 * @param {(line: string) => void} log
 * @returns {Promise<{ records: import('./relay-store.js').DeliveryRecord[], size: number }>}
 */
async function readLog(path, log) {
  const bytes = await readFile(path).catch(orNull)
  if (!bytes) return { records: [], size: 0 }
  const size = bytes.lastIndexOf(0x0a) + 1
  if (size < bytes.length) {
    log(`deliveries.log: skipped a torn last record (${bytes.length - size} bytes)`)
    await truncate(path, size)
  }
  /** @type {import('./relay-store.js').DeliveryRecord[]} */
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
 * @returns {import('./relay-store.js').DeliveryRecord | null}
 */
function parseRecord(line) {
  try {
    const value = JSON.parse(line)
    return value && typeof value === 'object' && typeof value.status === 'string' ? value : null
  } catch {
    return null
  }
}

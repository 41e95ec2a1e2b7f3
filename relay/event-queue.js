// @ts-check
// events/N.json: one file per accepted, not yet acknowledged event, numbered in the order they were
// stored; an ack deletes it. The relay's store (relay/relay-store.js) runs the changes one at a time.
import { readdir, readFile, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { orNull, writeDurably } from './durable.js'

const EVENT_FILE = /^(\d{12})\.json$/

/** @param {number} seq */
const eventFile = (seq) => `${String(seq).padStart(12, '0')}.json`

/**
 * Opens the events folder, removing the temporary files a crash left.
 * @param {string} eventsDir
 */
export async function openEventQueue(eventsDir) {
  /** @type {number[]} Unacknowledged event numbers, ascending. */
  const unacked = []
  for (const name of (await readdir(eventsDir)).sort()) {
    const seq = EVENT_FILE.exec(name)?.[1]
    if (seq) unacked.push(Number(seq))
    else if (name.startsWith('.tmp-')) await unlink(join(eventsDir, name))
  }
  /** @type {Set<(seq: number) => void>} */
  const listeners = new Set()

  /**
   * @param {number} seq
   * @returns {Promise<import('./relay-store.js').RelayEvent | null>} null once acknowledged
   */
  const read = async (seq) => {
    const text = await readFile(join(eventsDir, eventFile(seq)), 'utf8').catch(orNull)
    return text === null ? null : JSON.parse(text)
  }

  return {
    read,

    /**
     * Writes an event durably, then runs `commit` (its log record); when either fails, the event file
     * is removed again and the error thrown. Listeners hear of it once both are done.
     * @param {import('./relay-store.js').RelayEvent} event
     * @param {() => Promise<void>} commit
     */
    async add(event, commit) {
      try {
        await writeDurably(eventsDir, eventFile(event.seq), JSON.stringify(event))
        await commit()
      } catch (error) {
        await unlink(join(eventsDir, eventFile(event.seq))).catch(orNull)
        throw error
      }
      unacked.push(event.seq)
      for (const listener of listeners) listener(event.seq)
    },

    /**
     * Acknowledges (and deletes) an event. The folder is not fsynced: a crash right after only means
     * the event is delivered once more, which subscribers tolerate.
     * @param {number} seq
     */
    async ack(seq) {
      const at = unacked.indexOf(seq)
      if (at < 0) return false
      await unlink(join(eventsDir, eventFile(seq)))
      unacked.splice(at, 1)
      return true
    },

    /**
     * The first unacknowledged event after `after`.
     * @param {number} after
     */
    nextUnacked: (after) => unacked.find((seq) => seq > after),

    /** The unacknowledged event numbers, ascending. */
    unacked: () => [...unacked],

    /**
     * Calls `listener` with the number of every event added from now on.
     * @param {(seq: number) => void} listener
     */
    onEvent: (listener) => {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
  }
}

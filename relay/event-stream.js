// @ts-check
// The subscribers' event stream (GET /v1/events): NDJSON, every unacknowledged event in order, then new
// ones as they are accepted.
import { HttpError } from './http-io.js'

/**
 * @param {{ store: import('./relay-store.js').RelayStore, spool: { owns(hookId: string): boolean } | null,
 *   heartbeatMs: number }} options
 */
export function eventStreams({ store, spool, heartbeatMs }) {
  /** @type {Set<() => void>} */
  const streams = new Set()

  /**
   * Every unacknowledged event after `?after=`, in order, then new ones as they are accepted; a
   * heartbeat line when idle. Written one event at a time, waiting for the socket to drain, so a slow
   * subscriber holds one event in memory, not the backlog.
   * @param {import('node:http').ServerResponse} res
   * @param {URL} url
   */
  const stream = async (res, url) => {
    const after = Number(url.searchParams.get('after') ?? 0)
    if (!Number.isSafeInteger(after) || after < 0) throw new HttpError(400, 'after must be a whole number')
    res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' })
    res.write(`${JSON.stringify({ type: 'hello' })}\n`)
    let cursor = after
    let pumping = false
    let closed = false
    const drained = () =>
      new Promise((resolve) => {
        res.once('drain', resolve)
        res.once('close', resolve)
      })
    const pump = async () => {
      if (pumping) return
      pumping = true
      try {
        for (
          let seq = store.nextUnacked(cursor);
          seq !== undefined && !closed;
          seq = store.nextUnacked(cursor)
        ) {
          const event = await store.readEvent(seq)
          cursor = seq
          // A server-side app's event is the spool's, even before the spool acknowledges it.
          if (
            event &&
            !spool?.owns(event.hookId) &&
            !res.write(`${JSON.stringify({ type: 'event', ...event })}\n`)
          )
            await drained()
        }
      } finally {
        pumping = false
      }
    }
    const heartbeat = setInterval(() => res.write(`${JSON.stringify({ type: 'heartbeat' })}\n`), heartbeatMs)
    const unsubscribe = store.onEvent(() => void pump().catch(end))
    const end = () => {
      closed = true
      clearInterval(heartbeat)
      unsubscribe()
      streams.delete(end)
      res.end()
    }
    streams.add(end)
    res.once('close', end)
    await pump()
  }

  return {
    stream,
    /** Ends every open stream. */
    endAll() {
      for (const end of [...streams]) end()
    },
  }
}

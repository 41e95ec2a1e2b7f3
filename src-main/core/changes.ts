import { EventEmitter } from 'node:events'
import { boundedStream, type BoundedStream } from './bounded-stream'

/** What changed in the core, so every face (and every open window) can refresh what it shows. */
export interface ChangeEvents {
  servers: []
  apps: []
  /** A push was handled, an app's webhook connected, or a relay watcher's state changed. */
  push: []
  /** A database was created or removed, or a server's list of them was read. */
  databases: []
}

export class Changes extends EventEmitter<ChangeEvents> {
  /**
   * Yields `read()` now and after every `event`, until `signal` aborts. The events are shared by every
   * watcher and cannot be paused, and each read is the whole list: so one list is held at most, and a
   * newer one replaces it unread (a slow consumer never sees a backlog of stale lists, only the latest).
   */
  watch<T>(event: keyof ChangeEvents, read: () => T, signal: AbortSignal): BoundedStream<T> {
    return boundedStream<T>(
      async (sink) => {
        let fail: (error: unknown) => void = () => {}
        const ended = new Promise((resolve, reject) => {
          fail = reject
          sink.signal.addEventListener('abort', resolve, { once: true })
        })
        // A read that throws ends this stream, not the code that emitted the change.
        const mark = (): void => {
          try {
            sink.push(read())
          } catch (error) {
            fail(error)
          }
        }
        this.on(event, mark)
        try {
          sink.push(read())
          await ended
        } finally {
          this.off(event, mark)
        }
      },
      signal,
      { highWater: 1, overflow: (_held, newest) => [newest] },
    )
  }
}

import { EventEmitter, on } from 'node:events'

/** What changed in the core, so every face (and every open window) can refresh what it shows. */
export interface ChangeEvents {
  servers: []
  apps: []
  /** A push was handled, an app's webhook connected, or a relay watcher's state changed. */
  push: []
}

export class Changes extends EventEmitter<ChangeEvents> {
  /**
   * Yields `read()` now and after every `event`, until `signal` aborts. Changes that arrive while the
   * consumer is busy collapse into one read, so a slow consumer never sees a backlog of stale lists.
   */
  async *watch<T>(event: keyof ChangeEvents, read: () => T, signal: AbortSignal): AsyncGenerator<T> {
    let dirty = true
    const wake = new EventEmitter()
    const mark = (): void => {
      dirty = true
      wake.emit('wake')
    }
    this.on(event, mark)
    try {
      while (!signal.aborted) {
        if (dirty) {
          dirty = false
          yield read()
          continue
        }
        const woken = on(wake, 'wake', { signal })
        await woken.next()
        await woken.return?.()
      }
    } catch (error) {
      if (!signal.aborted) throw error
    } finally {
      this.off(event, mark)
    }
  }
}

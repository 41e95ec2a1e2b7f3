/** What the queue needs of a channel: to learn when it closes and its slot is free again. */
export interface Closable {
  once(event: 'close', listener: () => void): unknown
}

export interface ChannelQueueOptions {
  /** Channels open at once to begin with; sshd's MaxSessions defaults to 10, leave it some room. */
  initialLimit?: number
  /** Whether an open failure is the server refusing one channel more (sshd's MaxSessions). */
  isRefusal: (error: unknown) => boolean
  /**
   * Waits before trying again when the server refuses a channel while none of ours is open: sshd
   * frees a slot only after it processed our close, which can race with the next open.
   */
  retryDelaysMs?: readonly number[]
}

interface Waiter {
  start(): void
  abort(): void
}

/**
 * Opens channels on one SSH connection so that no job fails because of the server's MaxSessions,
 * which may be lower than the default and which the client cannot ask for. At most `limit` channels
 * are open (or opening) at once; the others wait their turn. When the server refuses a channel
 * anyway, the limit drops to what is open right now and the job waits for the next free slot.
 *
 * sshd frees a session's slot a moment after the client saw it close, so an open right after a close
 * is sometimes refused although the server has room. The most channels the server has held open at
 * once is room it certainly has: after such a spurious refusal the limit returns to it with the next
 * channel that opens, instead of staying low for the life of the connection.
 */
export class ChannelQueue {
  #limit: number
  #active = 0
  #open = 0
  #proven = 0
  readonly #waiting: Waiter[] = []
  readonly #initialLimit: number
  readonly #isRefusal: (error: unknown) => boolean
  readonly #retryDelaysMs: readonly number[]

  constructor(options: ChannelQueueOptions) {
    this.#initialLimit = options.initialLimit ?? 8
    this.#limit = this.#initialLimit
    this.#isRefusal = options.isRefusal
    this.#retryDelaysMs = options.retryDelaysMs ?? [50, 100, 200, 400, 800, 1600]
  }

  get limit(): number {
    return this.#limit
  }

  get active(): number {
    return this.#active
  }

  /** Back to the initial limit, for a new connection (its sshd may allow more). */
  reset(): void {
    this.#limit = this.#initialLimit
    this.#proven = 0
    this.#pump()
  }

  /**
   * Runs `open` when a slot is free and resolves with its channel, which holds the slot until it
   * closes. Aborting `signal` while the job waits rejects with the signal's reason; once `open` has
   * been called, the caller owns what it resolves with (and closes it on abort).
   */
  run<C extends Closable>(open: () => Promise<C>, signal?: AbortSignal): Promise<C> {
    return new Promise<C>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason)
        return
      }
      let refusedAlone = 0
      let retryTimer: NodeJS.Timeout | undefined
      const onAbort = (): void => waiter.abort()
      const finish = (): void => signal?.removeEventListener('abort', onAbort)
      const waiter: Waiter = {
        start: () => {
          finish()
          this.#active++
          open().then(
            (channel) => {
              this.#open++
              this.#proven = Math.max(this.#proven, this.#open)
              this.#limit = Math.max(this.#limit, this.#proven)
              channel.once('close', () => {
                this.#open--
                this.#active--
                this.#pump()
              })
              resolve(channel)
              this.#pump()
            },
            (error: unknown) => {
              this.#active--
              if (!this.#isRefusal(error)) {
                this.#pump()
                reject(error)
                return
              }
              this.#limit = Math.max(1, this.#active)
              signal?.addEventListener('abort', onAbort, { once: true })
              if (this.#active > 0) {
                // A channel of ours will close and free a slot: wait for it, first in line.
                this.#waiting.unshift(waiter)
                this.#pump()
                return
              }
              const delay = this.#retryDelaysMs[refusedAlone++]
              if (delay === undefined) {
                finish()
                reject(error)
                return
              }
              retryTimer = setTimeout(() => {
                retryTimer = undefined
                this.#waiting.unshift(waiter)
                this.#pump()
              }, delay)
            },
          )
        },
        abort: () => {
          const index = this.#waiting.indexOf(waiter)
          if (index >= 0) this.#waiting.splice(index, 1)
          clearTimeout(retryTimer)
          reject(signal?.reason)
        },
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.#waiting.push(waiter)
      this.#pump()
    })
  }

  #pump(): void {
    while (this.#active < this.#limit) {
      const next = this.#waiting.shift()
      if (!next) return
      next.start()
    }
  }
}

/**
 * The one adapter between a producer in the core and an API stream. The API host pulls an item only
 * when its client has acknowledged enough (credit, see api/wire.ts), so a slow reader leaves items
 * here; this class keeps what it holds bounded, in one of two ways:
 * - pause (the default): above `highWater` every attached source is paused (an SSH channel stops
 *   granting window, a child's pipe fills, a pty stops being read) and a producer that awaits `room()`
 *   waits; at or below `lowWater` they go on. Nothing is lost. What is held stays under `highWater`
 *   plus what the source had already read when it was paused (one chunk's items).
 * - overflow: for a source that cannot be paused and whose items may be lost (a shared event that
 *   other readers also follow), `overflow` folds the newest item into what is held instead of growing.
 *   Each caller says in a comment why losing is fine and what the reader sees of it.
 */

/** A source that can stop producing for a while: an SSH channel, a child's stdout, a pty, a poller. */
export interface Pausable {
  pause(): void
  resume(): void
}

/** What a reader hands to a source it does not own, so that the source can be paced (e.g. Target.exec). */
export interface Flow {
  /** Registers a source to pause while the reader lags; returns the function that unregisters it. */
  attach(source: Pausable): () => void
}

/** What the producer of a stream writes to. */
export interface StreamSink<T> extends Flow {
  push(item: T): void
  /** Resolves once the reader has room (at once unless the stream is paused), or the stream ended. */
  room(): Promise<void>
  /** Aborted when the reader went away (cancel, closed connection): the producer stops. */
  readonly signal: AbortSignal
}

export interface BoundedStreamOptions<T> {
  /** Size held before the sources are paused (default 256). */
  highWater?: number
  /** Size held at most for them to go on again (default a quarter of `highWater`). */
  lowWater?: number
  /** The size of an item in the marks' unit (default 1: items are counted). */
  size?: (item: T) => number
  /** Joins the next held item into the one being taken, or returns undefined to stop (fewer messages). */
  join?: (taken: T, next: T) => T | undefined
  /** For a source that cannot be paused: what to hold instead when `item` would pass `highWater`. */
  overflow?: (held: readonly T[], item: T) => T[]
}

/** What the stream held and did: for diagnostics and the flood test. */
export interface StreamStats {
  /** Size held now. */
  held: number
  /** Most size held at once. */
  peak: number
  /** Size pushed in all. */
  pushed: number
  /** How often the sources were paused. */
  pauses: number
  /** How often `overflow` folded an item in. */
  overflows: number
}

export class BoundedStream<T> implements AsyncIterableIterator<T>, StreamSink<T> {
  readonly stats: StreamStats = { held: 0, peak: 0, pushed: 0, pauses: 0, overflows: 0 }
  readonly highWater: number
  readonly #lowWater: number
  readonly #size: (item: T) => number
  readonly #join: BoundedStreamOptions<T>['join']
  readonly #overflow: BoundedStreamOptions<T>['overflow']
  readonly #abort = new AbortController()
  readonly #sources = new Set<Pausable>()
  /** What is held: `#items` from `#head` on (a head index, since shift() moves the whole array). */
  #items: T[] = []
  #head = 0
  #paused = false
  #waiting: (() => void)[] = []
  /** The producer is done (`failure` set when it failed): the reader gets what is held, then the end. */
  #finished = false
  #failure: unknown = null
  /** The reader is done: nothing more is held or handed out. */
  #ended = false
  #wake: (() => void) | null = null
  #start: (() => void) | null = null

  constructor(options: BoundedStreamOptions<T> = {}) {
    this.highWater = options.highWater ?? 256
    this.#lowWater = options.lowWater ?? Math.floor(this.highWater / 4)
    this.#size = options.size ?? (() => 1)
    this.#join = options.join
    this.#overflow = options.overflow
  }

  get signal(): AbortSignal {
    return this.#abort.signal
  }

  push(item: T): void {
    if (this.#ended || this.#finished) return
    const size = this.#size(item)
    this.stats.pushed += size
    if (this.#overflow && this.stats.held + size > this.highWater && this.#count > 0) {
      this.stats.overflows++
      this.#items = this.#overflow(this.#items.slice(this.#head), item)
      this.#head = 0
      this.stats.held = this.#items.reduce((sum, held) => sum + this.#size(held), 0)
    } else {
      this.#items.push(item)
      this.stats.held += size
      if (!this.#paused && this.stats.held > this.highWater) this.#pause()
    }
    this.stats.peak = Math.max(this.stats.peak, this.stats.held)
    this.#notify()
  }

  attach(source: Pausable): () => void {
    this.#sources.add(source)
    if (this.#paused) source.pause()
    return () => {
      if (this.#sources.delete(source) && this.#paused) source.resume()
    }
  }

  room(): Promise<void> {
    if (!this.#paused) return Promise.resolve()
    return new Promise((resolve) => this.#waiting.push(resolve))
  }

  /** The producer ended after all its items; with `error`, the reader gets that error after them. */
  finish(error?: unknown): void {
    if (this.#finished) return
    this.#finished = true
    if (error !== undefined) this.#failure = error
    this.#notify()
  }

  /** The reader went away: drop what is held, let the sources go on (so they can close), stop the producer. */
  end(): void {
    if (this.#ended) return
    this.#ended = true
    this.#items = []
    this.#head = 0
    this.stats.held = 0
    this.#unpause()
    this.#abort.abort()
    this.#notify()
  }

  /** Runs `start` on the first pull: the producer works only once someone reads. */
  startOnFirstPull(start: () => void): this {
    this.#start = start
    return this
  }

  async next(): Promise<IteratorResult<T>> {
    const start = this.#start
    this.#start = null
    if (!this.#ended) start?.()
    for (;;) {
      if (this.#ended) return { done: true, value: undefined }
      if (this.#count > 0) return { done: false, value: this.#take() }
      if (this.#finished) {
        this.end()
        if (this.#failure !== null) throw this.#failure
        return { done: true, value: undefined }
      }
      await new Promise<void>((resolve) => (this.#wake = resolve))
    }
  }

  async return(): Promise<IteratorResult<T>> {
    this.end()
    return { done: true, value: undefined }
  }

  [Symbol.asyncIterator](): this {
    return this
  }

  get #count(): number {
    return this.#items.length - this.#head
  }

  #take(): T {
    let taken = this.#items[this.#head++] as T
    let size = this.#size(taken)
    while (this.#join && this.#count > 0) {
      const next = this.#items[this.#head] as T
      const joined = this.#join(taken, next)
      if (joined === undefined) break
      this.#head++
      size += this.#size(next)
      taken = joined
    }
    // Taken items go once they are as many as those held: each copy is paid for by as many takes.
    if (this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head)
      this.#head = 0
    }
    this.stats.held -= size
    if (this.#paused && this.stats.held <= this.#lowWater) this.#unpause()
    return taken
  }

  #pause(): void {
    this.#paused = true
    this.stats.pauses++
    for (const source of this.#sources) source.pause()
  }

  #unpause(): void {
    if (!this.#paused) return
    this.#paused = false
    for (const source of this.#sources) source.resume()
    const waiting = this.#waiting
    this.#waiting = []
    for (const resolve of waiting) resolve()
  }

  #notify(): void {
    const wake = this.#wake
    this.#wake = null
    wake?.()
  }
}

/**
 * Marks for progress streams (deploys, provisioning, installs), held by characters: their log lines
 * are most of what they carry, and one line may be long.
 */
export function progressMarks<T extends { type: string }>(): BoundedStreamOptions<T> {
  return {
    highWater: 256 * 1024,
    size: (item) => {
      const { line } = item as { line?: unknown }
      return typeof line === 'string' ? line.length + 1 : 1
    },
  }
}

/**
 * A stream whose producer is `work`: it starts on the first pull and pushes to the sink; its end (or
 * error) ends the stream after the held items. `signal` (the API's cancel) ends the stream and aborts
 * the sink's signal, which the work passes on to what it runs.
 */
export function boundedStream<T>(
  work: (sink: StreamSink<T>) => Promise<unknown>,
  signal: AbortSignal,
  options: BoundedStreamOptions<T> = {},
): BoundedStream<T> {
  const stream = new BoundedStream<T>(options)
  const onAbort = (): void => stream.end()
  if (signal.aborted) stream.end()
  else signal.addEventListener('abort', onAbort, { once: true })
  return stream.startOnFirstPull(() => {
    work(stream).then(
      () => stream.finish(),
      (error: unknown) => stream.finish(error ?? new Error('failed')),
    )
    stream.signal.addEventListener('abort', () => signal.removeEventListener('abort', onAbort), {
      once: true,
    })
  })
}

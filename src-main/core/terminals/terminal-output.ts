import type { TerminalEvent } from '../../api/terminals'

/** What the buffer pauses when its reader lags: the ssh channel or the pty. */
export interface Pausable {
  pause(): void
  resume(): void
}

export interface TerminalOutputOptions {
  /** Characters held before the source is paused (default 256 Ki). */
  highWater?: number
  /** Characters held at most once the reader caught up enough to resume the source (default 64 Ki). */
  lowWater?: number
  /** Characters joined into one data event, at most (a bigger single chunk goes whole; default 64 Ki). */
  maxEvent?: number
}

/** How hard the buffer had to work: for diagnostics and the back-pressure test. */
export interface OutputStats {
  /** Most characters held at once. */
  peak: number
  /** How often the source was paused. */
  pauses: number
}

type Wake = () => void

/**
 * A terminal's output between its source and the API stream. The stream pulls (the host asks for the
 * next event only when its client has acknowledged enough), so when the reader lags, the output
 * gathers here, and above `highWater` the source is paused: sshd's window then fills and the remote
 * shell blocks on write, or the pty's kernel buffer does. Nothing is dropped and nothing grows
 * without bound. Small chunks are joined into one event, which spares the wire a message per read.
 */
export class TerminalOutput implements AsyncIterator<TerminalEvent> {
  readonly stats: OutputStats = { peak: 0, pauses: 0 }
  readonly #source: Pausable
  readonly #highWater: number
  readonly #lowWater: number
  readonly #maxEvent: number
  #chunks: string[] = []
  #held = 0
  #paused = false
  #exit: { code: number | null } | null = null
  #ended = false
  #wake: Wake | null = null

  constructor(source: Pausable, options: TerminalOutputOptions = {}) {
    this.#source = source
    this.#highWater = options.highWater ?? 256 * 1024
    this.#lowWater = options.lowWater ?? 64 * 1024
    this.#maxEvent = options.maxEvent ?? 64 * 1024
  }

  /** Output from the source. */
  push(text: string): void {
    if (this.#ended || text === '') return
    this.#chunks.push(text)
    this.#held += text.length
    this.stats.peak = Math.max(this.stats.peak, this.#held)
    if (!this.#paused && this.#held > this.#highWater) {
      this.#paused = true
      this.stats.pauses++
      this.#source.pause()
    }
    this.#notify()
  }

  /** The source ended after all its output: the reader gets what is held, then the exit. */
  exit(code: number | null): void {
    this.#exit ??= { code }
    this.#notify()
  }

  /** The reader went away: drop what is held, resume the source (so it can close), end the iteration. */
  end(): void {
    this.#ended = true
    this.#chunks = []
    this.#held = 0
    if (this.#paused) {
      this.#paused = false
      this.#source.resume()
    }
    this.#notify()
  }

  async next(): Promise<IteratorResult<TerminalEvent>> {
    for (;;) {
      if (this.#ended) return { done: true, value: undefined }
      if (this.#chunks.length > 0) return { done: false, value: { type: 'data', data: this.#take() } }
      if (this.#exit) {
        this.#ended = true
        return { done: false, value: { type: 'exit', code: this.#exit.code } }
      }
      await new Promise<void>((resolve) => (this.#wake = resolve))
    }
  }

  async return(): Promise<IteratorResult<TerminalEvent>> {
    this.end()
    return { done: true, value: undefined }
  }

  /** Whole chunks (never a split string: that could cut a surrogate pair) up to `maxEvent`. */
  #take(): string {
    let count = 0
    let length = 0
    for (const chunk of this.#chunks) {
      if (count > 0 && length + chunk.length > this.#maxEvent) break
      length += chunk.length
      count++
    }
    const data = this.#chunks.splice(0, count).join('')
    this.#held -= length
    if (this.#paused && this.#held <= this.#lowWater) {
      this.#paused = false
      this.#source.resume()
    }
    return data
  }

  #notify(): void {
    const wake = this.#wake
    this.#wake = null
    wake?.()
  }
}

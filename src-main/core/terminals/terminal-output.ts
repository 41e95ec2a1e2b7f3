import type { TerminalEvent } from '../../api/terminals'
import { BoundedStream, type Pausable } from '../bounded-stream'

export type { Pausable } from '../bounded-stream'

export interface TerminalOutputOptions {
  /** Characters held before the source is paused (default 256 Ki). */
  highWater?: number
  /** Characters held at most once the reader caught up enough to resume the source (default 64 Ki). */
  lowWater?: number
  /** Characters joined into one data event, at most (a bigger single chunk goes whole; default 64 Ki). */
  maxEvent?: number
}

/**
 * A terminal's output between its source and the API stream, on the core's bounded stream: when the
 * reader lags, the output gathers here, and above `highWater` the source is paused (sshd's window
 * then fills and the remote shell blocks on write, or the pty's kernel buffer does). Nothing is
 * dropped and nothing grows without bound. Small chunks are joined into one event, which spares the
 * wire a message per read; a chunk is never split (that could cut a surrogate pair).
 */
export class TerminalOutput extends BoundedStream<TerminalEvent> {
  constructor(source: Pausable, options: TerminalOutputOptions = {}) {
    const maxEvent = options.maxEvent ?? 64 * 1024
    super({
      highWater: options.highWater ?? 256 * 1024,
      lowWater: options.lowWater ?? 64 * 1024,
      size: (event) => (event.type === 'data' ? event.data.length : 0),
      join: (taken, next) =>
        taken.type === 'data' && next.type === 'data' && taken.data.length + next.data.length <= maxEvent
          ? { type: 'data', data: taken.data + next.data }
          : undefined,
    })
    this.attach(source)
  }

  /** Output from the source. */
  write(text: string): void {
    if (text !== '') this.push({ type: 'data', data: text })
  }

  /** The source ended after all its output: the reader gets what is held, then the exit. */
  exit(code: number | null): void {
    this.push({ type: 'exit', code })
    this.finish()
  }
}

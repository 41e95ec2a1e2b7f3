/**
 * The newest `capacity` lines of a log, addressed by sequence number (the nth line ever pushed), so
 * that a reader can tell how far it got and how many lines it missed once older ones were dropped.
 */
export class LineRing {
  private readonly lines: string[]
  /** Lines ever pushed: the sequence number the next line gets. */
  private count = 0

  constructor(readonly capacity: number) {
    this.lines = new Array<string>(capacity)
  }

  /** The sequence number after the newest line. */
  get end(): number {
    return this.count
  }

  /** The sequence number of the oldest line still held. */
  get start(): number {
    return Math.max(0, this.count - this.capacity)
  }

  push(lines: readonly string[]): void {
    // Of a batch bigger than the ring only its newest lines would survive.
    const from = Math.max(0, lines.length - this.capacity)
    this.count += from
    for (let i = from; i < lines.length; i++) this.lines[this.count++ % this.capacity] = lines[i] as string
  }

  /** The line with sequence number `seq`, which must be in [start, end). */
  at(seq: number): string {
    return this.lines[seq % this.capacity] as string
  }
}

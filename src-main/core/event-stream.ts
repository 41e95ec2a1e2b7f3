/**
 * Turns work that reports through a callback into an async iterable for the API: the work starts on
 * the first pull, its events are buffered (they are few: progress steps and log lines), and aborting
 * the signal aborts the work. The work's error ends the iteration with that error.
 */
export async function* eventStream<T>(
  work: (emit: (event: T) => void, signal: AbortSignal) => Promise<unknown>,
  signal: AbortSignal,
): AsyncGenerator<T> {
  const buffer: T[] = []
  let wake: (() => void) | null = null
  let finished = false
  let failure: unknown = null
  const notify = (): void => {
    wake?.()
    wake = null
  }
  work((event) => {
    buffer.push(event)
    notify()
  }, signal).then(
    () => ((finished = true), notify()),
    (error: unknown) => ((failure = error ?? new Error('failed')), (finished = true), notify()),
  )
  signal.addEventListener('abort', notify, { once: true })
  try {
    while (!signal.aborted) {
      const next = buffer.shift()
      if (next !== undefined) {
        yield next
        continue
      }
      if (finished) break
      await new Promise<void>((resolve) => (wake = resolve))
    }
  } finally {
    signal.removeEventListener('abort', notify)
  }
  if (failure && !signal.aborted) throw failure
}

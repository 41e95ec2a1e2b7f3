/**
 * Groups lines into batches: a fast log (100,000 lines a second) then costs one message per batch
 * instead of one per line, and a slow one still shows each line within `maxDelayMs`. A batch is also
 * cut at `maxChars`, so that one item never outweighs the stream's high mark (see BoundedStream).
 */
export function lineBatcher(
  onBatch: (lines: string[]) => void,
  options: { maxLines?: number; maxChars?: number; maxDelayMs?: number } = {},
) {
  const maxLines = options.maxLines ?? 2000
  const maxChars = options.maxChars ?? 64 * 1024
  const maxDelayMs = options.maxDelayMs ?? 50
  let lines: string[] = []
  let chars = 0
  let timer: NodeJS.Timeout | null = null
  const flush = (): void => {
    if (timer) clearTimeout(timer)
    timer = null
    if (lines.length === 0) return
    const batch = lines
    lines = []
    chars = 0
    onBatch(batch)
  }
  return {
    push(line: string): void {
      lines.push(line)
      chars += line.length
      if (lines.length >= maxLines || chars >= maxChars) flush()
      else timer ??= setTimeout(flush, maxDelayMs)
    },
    /** Sends what is pending now (call it when the log ends). */
    flush,
  }
}

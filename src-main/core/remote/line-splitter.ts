import { StringDecoder } from 'node:string_decoder'

/**
 * Turns a byte stream into lines: chunks may end mid-line or mid-character. `end` delivers a last
 * line that has no line break.
 */
export function lineSplitter(onLine: (line: string) => void) {
  const decoder = new StringDecoder('utf8')
  let pending = ''
  const emit = (text: string) => {
    const lines = (pending + text).split('\n')
    pending = lines.pop() ?? ''
    for (const line of lines) onLine(line.endsWith('\r') ? line.slice(0, -1) : line)
  }
  return {
    write: (chunk: Buffer) => emit(decoder.write(chunk)),
    end() {
      emit(decoder.end())
      if (pending !== '') onLine(pending)
      pending = ''
    },
  }
}

import type { HandlersOf } from '../../api/contract'
import type { OpenTerminalInput, TerminalEvent, TerminalSize } from '../../api/terminals'
import { requireString } from '../api/input'
import { boundedStream } from '../bounded-stream'
import type { Terminals } from './terminals'

/** Most characters one input call carries (a big paste; xterm sends it as one string). */
const MAX_INPUT = 1024 * 1024

/** The terminals methods of the API, over the core's terminals service. */
export function terminalsApi(terminals: Terminals): HandlersOf<'terminals'> {
  return {
    'terminals:open': (input, signal) => events(terminals, openInput(input), signal),
    'terminals:input': async (input) => {
      const data = (input as { data?: unknown } | null)?.data
      if (typeof data !== 'string' || data.length > MAX_INPUT) {
        throw new TypeError(`Expected a string "data" of at most ${MAX_INPUT} characters`)
      }
      terminals.input(requireString(input, 'id'), data)
    },
    'terminals:resize': async (input) => terminals.resize(requireString(input, 'id'), sizeOf(input)),
  }
}

/**
 * The opened event, then the output and the exit; ending the stream (a cancel) closes the terminal.
 * The output's own buffer pauses the channel or pty (see TerminalOutput); this stream takes its next
 * event only once the reader has room, so it holds one joined event at most.
 */
function events(terminals: Terminals, input: OpenTerminalInput, signal: AbortSignal) {
  return boundedStream<TerminalEvent>(
    async (sink) => {
      const session = await terminals.open(input, sink.signal)
      // Ends the output at once, so a pull waiting for it returns and the stream can end.
      const close = (): void => session.close()
      sink.signal.addEventListener('abort', close, { once: true })
      try {
        sink.push({ type: 'opened', id: session.id })
        for (;;) {
          await sink.room()
          const next = await session.output.next()
          if (next.done) return
          sink.push(next.value)
        }
      } finally {
        sink.signal.removeEventListener('abort', close)
        session.close()
      }
    },
    signal,
    { highWater: 0, size: (event) => (event.type === 'data' ? event.data.length : 1) },
  )
}

function openInput(input: unknown): OpenTerminalInput {
  const size = sizeOf(input)
  const kind = (input as { kind?: unknown } | null)?.kind
  switch (kind) {
    case 'server':
      return { kind, server: requireString(input, 'server'), ...size }
    case 'container':
      return { kind, app: requireString(input, 'app'), ...size }
    case 'local':
      return { kind, ...size }
    default:
      throw new TypeError('Expected "kind" to be one of server, container, local')
  }
}

function sizeOf(input: unknown): TerminalSize {
  const { rows, cols } = (input ?? {}) as { rows?: unknown; cols?: unknown }
  const cells = (value: unknown, key: string, max: number): number => {
    if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > max) {
      throw new TypeError(`Expected "${key}" to be an integer from 1 to ${max}`)
    }
    return value as number
  }
  return { rows: cells(rows, 'rows', 1000), cols: cells(cols, 'cols', 1000) }
}

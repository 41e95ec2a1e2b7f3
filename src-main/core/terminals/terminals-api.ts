import type { HandlersOf } from '../../api/contract'
import type { OpenTerminalInput, TerminalEvent, TerminalSize } from '../../api/terminals'
import { requireString } from '../api/input'
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

/** The opened event, then the output and the exit; ending the iteration (a cancel) closes the terminal. */
async function* events(
  terminals: Terminals,
  input: OpenTerminalInput,
  signal: AbortSignal,
): AsyncGenerator<TerminalEvent> {
  const session = await terminals.open(input, signal)
  // Ends the output at once, so an iteration waiting for it returns and the stream can end.
  const close = (): void => session.close()
  signal.addEventListener('abort', close, { once: true })
  try {
    yield { type: 'opened', id: session.id }
    for (;;) {
      const next = await session.output.next()
      if (next.done) return
      yield next.value
    }
  } finally {
    signal.removeEventListener('abort', close)
    session.close()
  }
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

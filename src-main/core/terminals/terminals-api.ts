import type { HandlersOf } from '../../api/contract'
import type { OpenTerminalInput, TerminalEvent } from '../../api/terminals'
import { boundedStream } from '../bounded-stream'
import type { Terminals } from './terminals'

/** The terminals methods of the API, over the core's terminals service. */
export function terminalsApi(terminals: Terminals): HandlersOf<'terminals'> {
  return {
    'terminals:open': (input, signal) => events(terminals, input, signal),
    'terminals:input': async ({ id, data }) => terminals.input(id, data),
    'terminals:resize': async ({ id, rows, cols }) => terminals.resize(id, { rows, cols }),
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

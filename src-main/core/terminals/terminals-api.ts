import type { HandlersOf } from '../../api/contract'
import type { OpenTerminalInput, TerminalEvent } from '../../api/terminals'
import type { Terminals } from './terminals'

/** The terminals methods of the API, over the core's terminals service. */
export function terminalsApi(terminals: Terminals): HandlersOf<'terminals'> {
  return {
    'terminals:open': (input, signal) => events(terminals, input, signal),
    'terminals:input': async ({ id, data }) => terminals.input(id, data),
    'terminals:resize': async ({ id, rows, cols }) => terminals.resize(id, { rows, cols }),
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

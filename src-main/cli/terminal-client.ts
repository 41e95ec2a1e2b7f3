import type { ApiClient } from '../api/client'
import type { TerminalTarget } from '../api/terminals'

/**
 * Runs a terminal of the API (terminals:open) on this process's own terminal until it exits, and
 * resolves with its exit code (null when the connection dropped). On a TTY the keys go through raw,
 * Ctrl-C included, and a window resize follows; without one (a script, a pipe) standard input is
 * typed into the terminal and its end is an end of input (Ctrl-D), and the size is 80×24. Output is
 * written at the pace standard output takes it: the next chunk is acknowledged only once it drained.
 */
export async function runTerminal(api: ApiClient, target: TerminalTarget): Promise<number | null> {
  const { stdin, stdout } = process
  const size = () => ({ rows: stdout.rows || 24, cols: stdout.columns || 80 })
  let id: string | null = null
  let code: number | null = null
  // Input in order, held until the terminal has opened.
  let typed = Promise.resolve()
  const held: string[] = []
  const type = (data: string): void => {
    if (id === null) return void held.push(data)
    const to = id
    typed = typed.then(() => api.call('terminals:input', { id: to, data })).catch(() => {})
  }
  const onData = (chunk: Buffer): void => type(chunk.toString('utf8'))
  const onEnd = (): void => type('\x04')
  const onResize = (): void => {
    if (id !== null) api.call('terminals:resize', { id, ...size() }).catch(() => {})
  }
  const raw = stdin.isTTY
  if (raw) stdin.setRawMode(true)
  stdin.on('data', onData)
  if (!raw) stdin.once('end', onEnd)
  stdout.on('resize', onResize)
  try {
    const subscription = api.subscribe('terminals:open', { ...target, ...size() }, async (event) => {
      if (event.type === 'opened') {
        id = event.id
        for (const data of held.splice(0)) type(data)
      } else if (event.type === 'data') {
        if (!stdout.write(event.data)) await new Promise((resolve) => stdout.once('drain', resolve))
      } else code = event.code
    })
    await subscription.done
    return code
  } finally {
    stdin.off('data', onData)
    stdin.off('end', onEnd)
    stdout.off('resize', onResize)
    if (raw) stdin.setRawMode(false)
    stdin.pause()
  }
}

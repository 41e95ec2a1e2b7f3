import { setTimeout as sleep } from 'node:timers/promises'

/**
 * Polls `check` every 250 ms until it returns a value (a throw counts as not yet), for at most `ms`;
 * fails naming `what` it waited for. For state another process changes, where no event says so.
 */
export async function until<T>(what: string, ms: number, check: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const value = await check().catch(() => undefined)
    if (value !== undefined) return value
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(250)
  }
}

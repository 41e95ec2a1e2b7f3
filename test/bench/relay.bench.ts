/**
 * Push-to-deploy latency (run by `npm run bench`; needs no test server): a relay on 127.0.0.1 with its
 * own data folder and a connected watcher whose deploy is a stand-in that notes when it was called.
 * Sends N signed pushes (a ~10 KB payload each, one after another) and prints, p50/p95:
 *   the webhook's answer time (request sent → 2xx received; GitHub waits at most 10 s)
 *   2xx received → the watcher's deploy call (negative: the deploy started before the 2xx arrived)
 * and how long a backlog accepted while no watcher was connected takes to reach the deploy calls.
 * Usage: node --import tsx test/bench/relay.bench.ts [N]   (default 200)
 */
import { performance } from 'node:perf_hooks'
import { watchRelay } from '../../src-main/core/push/watcher'
import { commitId, postWebhook, pushPayload, testRelay } from '../support/relay'

const count = Number(process.argv[2] ?? 200)
const after: (() => unknown)[] = []

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN
}
const ms = (value: number) => `${value.toFixed(1)} ms`

async function main(): Promise<void> {
  const bed = await testRelay({ after: (fn) => after.push(fn) })
  const hook = await bed.client.register('bench', 'main')
  const deployed = new Map<string, number>()
  const waiting = new Map<string, () => void>()
  const watch = (signal: AbortSignal) =>
    watchRelay({
      client: bed.client,
      signal,
      hook: async () => ({ app: 'bench', branch: 'main', secret: hook.secret }),
      deploy: async (_app, commit, started) => {
        await started()
        deployed.set(commit, performance.now())
        waiting.get(commit)?.()
        return { id: commit.slice(0, 8), status: 'succeeded' }
      },
    })
  const push = (commit: string) =>
    postWebhook(hook.url, {
      secret: hook.secret,
      body: pushPayload('refs/heads/main', commit).replace('"a change"', JSON.stringify('x'.repeat(10_000))),
    })

  const controller = new AbortController()
  const watching = watch(controller.signal)
  const answer: number[] = []
  const toDeploy: number[] = []
  for (let i = 0; i < count; i++) {
    const commit = commitId()
    const called = new Promise<void>((resolve) => waiting.set(commit, resolve))
    const sent = performance.now()
    const { status } = await push(commit)
    const answered = performance.now()
    if (status !== 202) throw new Error(`the relay answered ${status}`)
    await called
    answer.push(answered - sent)
    toDeploy.push((deployed.get(commit) ?? NaN) - answered)
  }
  controller.abort()
  await watching

  // A backlog: accepted while no watcher is connected, then one connects.
  const backlog = Array.from({ length: Math.min(count, 100) }, () => commitId())
  for (const commit of backlog) await push(commit)
  const last = new Promise<void>((resolve) => waiting.set(backlog.at(-1) ?? '', resolve))
  const connected = performance.now()
  const again = new AbortController()
  const draining = watch(again.signal)
  await last
  const drained = performance.now() - connected
  again.abort()
  await draining

  process.stdout.write(
    [
      `relay benchmark: ${count} signed pushes of ~10 KB, one after another, over 127.0.0.1`,
      `  webhook answer (sent → 2xx)          p50 ${ms(percentile(answer, 50))}  p95 ${ms(percentile(answer, 95))}`,
      `  2xx → deploy started (watcher call)  p50 ${ms(percentile(toDeploy, 50))}  p95 ${ms(percentile(toDeploy, 95))}`,
      `  backlog of ${backlog.length} delivered on connect           ${ms(drained)} (${ms(drained / backlog.length)} per event)`,
      '',
    ].join('\n'),
  )
}

try {
  await main()
} finally {
  for (const fn of after.reverse()) await fn()
}

/**
 * The core's one stream adapter: it pauses attached sources and waiting producers above its high
 * mark and lets them go on at the low one, loses nothing in that mode, folds items in only through
 * `overflow`, starts its producer on the first pull, and ends it when the reader goes away.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { boundedStream, BoundedStream } from '../../src-main/core/bounded-stream'

function source() {
  const calls: string[] = []
  return { calls, pause: () => calls.push('pause'), resume: () => calls.push('resume') }
}

test('pauses attached sources above the high mark, resumes at the low one, loses nothing', async () => {
  const stream = new BoundedStream<number>({ highWater: 4, lowWater: 1 })
  const flow = source()
  stream.attach(flow)
  for (let i = 0; i < 4; i++) stream.push(i)
  assert.deepEqual(flow.calls, [], 'four held: not paused yet')
  stream.push(4)
  assert.deepEqual(flow.calls, ['pause'])
  const late = source()
  stream.attach(late)
  assert.deepEqual(late.calls, ['pause'], 'a source attached while paused starts paused')
  stream.finish()
  const got: number[] = []
  for await (const item of stream) got.push(item)
  assert.deepEqual(got, [0, 1, 2, 3, 4])
  assert.deepEqual(flow.calls, ['pause', 'resume'])
  assert.deepEqual([stream.stats.peak, stream.stats.pushed, stream.stats.pauses], [5, 5, 1])
})

test('a producer that awaits room() waits while paused, so the stream stays bounded', async () => {
  const stream = boundedStream<number>(
    async (sink) => {
      for (let i = 0; i < 1000; i++) {
        sink.push(i)
        await sink.room()
      }
    },
    new AbortController().signal,
    { highWater: 10 },
  )
  let sum = 0
  for await (const item of stream) {
    sum += item
    await new Promise((resolve) => setImmediate(resolve))
  }
  assert.equal(sum, (999 * 1000) / 2, 'every item')
  assert.ok(stream.stats.peak <= 11, `held at most the high mark and one (${stream.stats.peak})`)
  assert.ok(stream.stats.pauses > 0)
})

test('overflow folds items in instead of growing, for sources that cannot pause', async () => {
  const stream = new BoundedStream<number>({
    highWater: 3,
    overflow: (held, item) => [...held.slice(1), item],
  })
  for (let i = 0; i < 100; i++) stream.push(i)
  stream.finish()
  const got: number[] = []
  for await (const item of stream) got.push(item)
  assert.deepEqual(got, [97, 98, 99])
  assert.deepEqual([stream.stats.peak, stream.stats.overflows], [3, 97])
})

test('the producer starts on the first pull; its error comes after the held items', async () => {
  let started = false
  const stream = boundedStream<string>(async (sink) => {
    started = true
    sink.push('a')
    throw new Error('boom')
  }, new AbortController().signal)
  assert.equal(started, false)
  assert.deepEqual(await stream.next(), { done: false, value: 'a' })
  assert.equal(started, true)
  await assert.rejects(stream.next(), /boom/)
})

test('cancelling ends a waiting reader, aborts the producer and resumes its sources', async () => {
  const cancel = new AbortController()
  const flow = source()
  let producer: AbortSignal | undefined
  const stream = boundedStream<number>(
    async (sink) => {
      producer = sink.signal
      sink.attach(flow)
      sink.push(1)
      sink.push(2)
      await new Promise((resolve) => sink.signal.addEventListener('abort', resolve))
    },
    cancel.signal,
    { highWater: 1, lowWater: 0 },
  )
  assert.equal((await stream.next()).value, 1)
  assert.deepEqual(flow.calls, ['pause'], 'two held: paused')
  const waiting = stream.next()
  cancel.abort()
  assert.equal((await waiting).value, 2, 'taken before the cancel')
  assert.equal((await stream.next()).done, true)
  assert.equal(producer?.aborted, true)
  assert.deepEqual(flow.calls, ['pause', 'resume'])
})

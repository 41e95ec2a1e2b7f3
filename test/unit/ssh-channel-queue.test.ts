import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import { setImmediate as tick } from 'node:timers/promises'
import { test } from 'node:test'
import { ChannelQueue } from '../../src-main/core/ssh/channel-queue'

/**
 * A stand-in for sshd's sessions: refuses an open beyond `maxSessions`, like its MaxSessions. With
 * `lagging`, a closed channel's slot is freed only later (at `freeLate()`), as sshd sometimes does.
 */
class FakeServer {
  open = 0
  peak = 0
  refusals = 0
  private late = 0
  constructor(
    public maxSessions: number,
    readonly lagging = false,
  ) {}

  /** Opens a channel after a tick; it closes when `close()` is called on it. */
  async openChannel(): Promise<EventEmitter & { close(): void }> {
    await tick()
    if (this.open >= this.maxSessions) {
      this.refusals++
      throw Object.assign(new Error('(SSH) Channel open failure: open failed'), { reason: 2 })
    }
    this.open++
    this.peak = Math.max(this.peak, this.open)
    const channel = Object.assign(new EventEmitter(), {
      close: () => {
        if (this.lagging) this.late++
        else this.open--
        channel.emit('close')
      },
    })
    return channel
  }

  /** Frees the slots of the channels closed so far. */
  freeLate(): void {
    this.open -= this.late
    this.late = 0
  }
}

const isRefusal = (error: unknown): boolean => typeof (error as { reason?: unknown }).reason === 'number'

test('30 jobs against MaxSessions 2 all run; the limit drops to what the server allows', async () => {
  const server = new FakeServer(2)
  const queue = new ChannelQueue({ initialLimit: 8, isRefusal, retryDelaysMs: [1, 1, 1] })
  const results = await Promise.all(
    Array.from({ length: 30 }, async (_, i) => {
      const channel = await queue.run(() => server.openChannel())
      await tick()
      channel.close()
      return i
    }),
  )
  assert.deepEqual(
    results,
    Array.from({ length: 30 }, (_, i) => i),
  )
  assert.ok(server.peak <= 2)
  assert.ok(server.refusals > 0, 'the server refused some opens first')
  assert.equal(queue.limit, 2)
  assert.equal(queue.active, 0)
})

test('a refusal only because sshd frees a slot late does not keep the limit low', async () => {
  const server = new FakeServer(2, true)
  const queue = new ChannelQueue({ initialLimit: 8, isRefusal })
  const [a, b] = await Promise.all([
    queue.run(() => server.openChannel()),
    queue.run(() => server.openChannel()),
  ])
  a.close()
  const c = queue.run(() => server.openChannel())
  while (server.refusals === 0) await tick()
  assert.equal(queue.limit, 1, 'the refusal lowered the limit to what is open')
  server.freeLate()
  b.close()
  ;(await c).close()
  assert.equal(queue.limit, 2, 'the next open restored what the server has held open before')
})

test('never more than the limit open at once, and the rest start as slots free up', async () => {
  const server = new FakeServer(100)
  const queue = new ChannelQueue({ initialLimit: 3, isRefusal })
  const channels = await Promise.all(Array.from({ length: 3 }, () => queue.run(() => server.openChannel())))
  let fourthOpened = false
  const fourth = queue
    .run(() => server.openChannel())
    .then((channel) => {
      fourthOpened = true
      return channel
    })
  await tick()
  await tick()
  assert.equal(fourthOpened, false)
  assert.equal(queue.active, 3)
  channels[0]?.close()
  ;(await fourth).close()
  for (const channel of channels.slice(1)) channel.close()
  assert.equal(queue.active, 0)
  assert.equal(server.peak, 3)
})

test('a refusal with nothing else open is retried, then reported', async () => {
  const closed = new FakeServer(0)
  const queue = new ChannelQueue({ isRefusal, retryDelaysMs: [1, 1] })
  await assert.rejects(
    queue.run(() => closed.openChannel()),
    (error: Error) => /open failed/.test(error.message),
  )
  assert.equal(closed.refusals, 3)
  assert.equal(queue.active, 0)

  // sshd may free the slot of a channel just closed only after the next open arrived: retrying wins.
  const racing = new FakeServer(0)
  setTimeout(() => (racing.maxSessions = 1), 5)
  const slow = new ChannelQueue({ isRefusal, retryDelaysMs: [20, 20, 20] })
  ;(await slow.run(() => racing.openChannel())).close()
})

test('other failures reject at once and free the slot', async () => {
  const queue = new ChannelQueue({ initialLimit: 1, isRefusal })
  await assert.rejects(
    queue.run(() => Promise.reject(new Error('Unable to exec'))),
    /Unable to exec/,
  )
  assert.equal(queue.active, 0)
  assert.equal(queue.limit, 1)
})

test('aborting a waiting job rejects it with the reason and it never opens', async () => {
  const server = new FakeServer(100)
  const queue = new ChannelQueue({ initialLimit: 1, isRefusal })
  const first = await queue.run(() => server.openChannel())
  const controller = new AbortController()
  let opened = false
  const waiting = queue.run(() => {
    opened = true
    return server.openChannel()
  }, controller.signal)
  controller.abort(new Error('stop'))
  await assert.rejects(waiting, /stop/)
  first.close()
  await tick()
  assert.equal(opened, false)
  assert.equal(queue.active, 0)
  await assert.rejects(
    queue.run(() => server.openChannel(), AbortSignal.abort(new Error('early'))),
    /early/,
  )
})

test('reset restores the initial limit for a new connection', async () => {
  const server = new FakeServer(1)
  const queue = new ChannelQueue({ initialLimit: 4, isRefusal, retryDelaysMs: [1] })
  const first = await queue.run(() => server.openChannel())
  const second = queue.run(() => server.openChannel())
  while (server.refusals === 0) await tick()
  assert.equal(queue.limit, 1)
  first.close()
  ;(await second).close()
  queue.reset()
  assert.equal(queue.limit, 4)
})

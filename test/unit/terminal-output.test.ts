/**
 * The buffer between a terminal's source and its API stream: it pauses the source above its high
 * water mark and resumes it once the reader drained it below the low one, joins small chunks, never
 * splits one, delivers every character before the exit, and drops what it holds when cancelled.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { TerminalEvent } from '../../src-main/api/terminals'
import { TerminalOutput } from '../../src-main/core/terminals/terminal-output'

function source() {
  const calls: string[] = []
  return { calls, pause: () => calls.push('pause'), resume: () => calls.push('resume') }
}

test('pauses above the high water mark and resumes below the low one, losing nothing', async () => {
  const flow = source()
  const output = new TerminalOutput(flow, { highWater: 100, lowWater: 40, maxEvent: 30 })
  const sent: string[] = []
  const push = (i: number) => {
    const chunk = String(i).padStart(10, '.')
    sent.push(chunk)
    output.write(chunk)
  }
  for (let i = 0; i < 10; i++) push(i)
  assert.deepEqual(flow.calls, [], '100 characters held: not paused yet')
  push(10)
  push(11)
  assert.deepEqual(flow.calls, ['pause'], 'paused once, past 100 characters held')
  assert.deepEqual([output.stats.peak, output.stats.pauses], [120, 1])
  output.exit(0)

  const events: TerminalEvent[] = []
  for (let next = await output.next(); !next.done; next = await output.next()) events.push(next.value)
  const data = events.flatMap((e) => (e.type === 'data' ? [e.data] : []))
  assert.equal(data.join(''), sent.join(''), 'every character, in order')
  assert.ok(
    data.every((d) => d.length <= 30 && d.length % 10 === 0),
    'chunks joined up to 30, never split',
  )
  assert.deepEqual(events.at(-1), { type: 'exit', code: 0 }, 'the exit comes after the output')
  assert.deepEqual(flow.calls, ['pause', 'resume'], 'resumed once the reader caught up')
})

test('a chunk bigger than an event goes whole; a waiting reader wakes on output', async () => {
  const output = new TerminalOutput(source(), { maxEvent: 4 })
  const waiting = output.next()
  output.write('€€€€€€')
  assert.deepEqual((await waiting).value, { type: 'data', data: '€€€€€€' })
})

test('ending drops what is held, resumes a paused source and ends a waiting reader', async () => {
  const flow = source()
  const output = new TerminalOutput(flow, { highWater: 5, lowWater: 1 })
  output.write('0123456789')
  output.end()
  assert.deepEqual(flow.calls, ['pause', 'resume'])
  assert.equal((await output.next()).done, true)
  output.write('late')
  output.exit(1)
  assert.equal((await output.next()).done, true, 'nothing after the end')
})

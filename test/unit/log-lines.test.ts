/** The log view's line handling (src-renderer/src/logs): what is printed, which level a line has, the ring. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { LineRing } from '../../src-renderer/src/logs/line-ring'
import { levelOf, lineMatcher, plainText, printable } from '../../src-renderer/src/logs/log-lines'

test('a printed line keeps its colours and loses every other control', () => {
  assert.equal(printable('plain line'), 'plain line')
  assert.equal(printable('\x1b[31mred\x1b[0m text'), '\x1b[31mred\x1b[0m text')
  assert.equal(
    printable('a\x1b[2J\x1b[Hb\x1b]0;title\x07c\x1b[?1049hd'),
    'abcd',
    'clear, home, title, alt screen',
  )
  assert.equal(
    printable('progress 10%\rprogress 100%'),
    'progress 100%',
    'a redrawn line keeps its last state',
  )
  assert.equal(printable('tab\tbell\x07nul\x00'), 'tab\tbellnul')
  assert.equal(plainText('\x1b[1;32mok\x1b[0m done'), 'ok done')
})

test('the level is the first level word of the line', () => {
  const cases: [string, string | null][] = [
    ['2026-01-01T00:00:00Z ERROR db down', 'error'],
    ['[warn] disk nearly full', 'warn'],
    ['level=info msg="started"', 'info'],
    ['{"level":"error","msg":"x"}', 'error'],
    ['npm ERR! code E404', 'error'],
    ['\x1b[33mWARNING\x1b[0m slow', 'warn'],
    ['FATAL: out of memory', 'error'],
    ['DEBUG cache hit', 'debug'],
    ['INFO retrying after error', 'info'],
    ['✗ build   The build failed', 'error'],
    ['stderr output with 0 errors', null],
    ['GET /information 200', null],
  ]
  for (const [line, level] of cases) assert.equal(levelOf(line), level, line)
})

test('a filter matches text in any case and levels at or above its own', () => {
  assert.equal(lineMatcher({ text: '', minLevel: null }), null, 'no filter: every line, nothing to test')
  const warnings = lineMatcher({ text: '', minLevel: 'warn' })
  assert.deepEqual(
    ['ERROR a', 'WARN b', 'INFO c', 'no level'].filter((line) => warnings?.(line)),
    ['ERROR a', 'WARN b'],
  )
  const text = lineMatcher({ text: 'Disk', minLevel: null })
  assert.deepEqual(
    ['\x1b[1mdisk\x1b[0m full', 'DISK', 'memory', 'di\x1b[0msk'].filter((line) => text?.(line)),
    ['\x1b[1mdisk\x1b[0m full', 'DISK', 'di\x1b[0msk'],
  )
})

test('the ring keeps the newest lines by sequence number', () => {
  const ring = new LineRing(3)
  ring.push(['a', 'b'])
  assert.deepEqual([ring.start, ring.end], [0, 2])
  ring.push(['c', 'd', 'e'])
  assert.deepEqual([ring.start, ring.end], [2, 5])
  assert.deepEqual(
    [2, 3, 4].map((seq) => ring.at(seq)),
    ['c', 'd', 'e'],
  )
  ring.push(['1', '2', '3', '4', '5'])
  assert.deepEqual([ring.start, ring.end], [7, 10])
  assert.deepEqual(
    [7, 8, 9].map((seq) => ring.at(seq)),
    ['3', '4', '5'],
  )
})

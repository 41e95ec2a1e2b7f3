/**
 * Cron expressions are checked by the core (src-main/core/rules/cron.ts) when a job is added and read
 * by the server's job agent (remote-scripts/lib/cron.sh) each minute: both must take the same
 * expressions and find them due at the same minutes, or a job the desktop accepted would never run (or
 * run when nobody asked). One table, both sides, the sh side with the local /bin/sh as on a server.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { cronMatches, nextCronRun, parseCron } from '../../src-main/core/rules/cron'

const LIB = fileURLToPath(new URL('../../remote-scripts/lib', import.meta.url))

/** [expression, minute hour day month weekday, due]; a null time: validity only. */
const CASES: [string, string | null, boolean][] = [
  ['* * * * *', null, true],
  ['0 3 * * *', null, true],
  ['*/15 0-6,22-23 1,15 */2 1-5', null, true],
  ['5/10 * * * 0,7', null, true],
  ['0 3 * *', null, false],
  ['0 3 * * * *', null, false],
  ['60 * * * *', null, false],
  ['* 24 * * *', null, false],
  ['* * 0 * *', null, false],
  ['* * * 13 *', null, false],
  ['* * * * 8', null, false],
  ['5-1 * * * *', null, false],
  ['*/0 * * * *', null, false],
  ['*/61 * * * *', null, false],
  ['1,,2 * * * *', null, false],
  ['1- * * * *', null, false],
  ['1/2/3 * * * *', null, false],
  ['* * * JAN *', null, false],
  ['* * * * MON', null, false],
  ['@daily', null, false],
  ['100 * * * *', null, false],
  ['* * * * *', '0 0 1 1 0', true],
  ['0 3 * * *', '0 3 6 12 0', true],
  ['0 3 * * *', '1 3 6 12 0', false],
  ['*/15 * * * *', '45 7 6 12 0', true],
  ['*/15 * * * *', '46 7 6 12 0', false],
  ['5/10 * * * *', '25 7 6 12 0', true],
  ['5/10 * * * *', '20 7 6 12 0', false],
  ['0 9-17/2 * * *', '0 11 6 12 0', true],
  ['0 9-17/2 * * *', '0 12 6 12 0', false],
  ['0 0 * * 7', '0 0 6 12 0', true],
  ['0 0 * * 1-5', '0 0 6 12 0', false],
  // Both day fields restricted: either matches (the 6th, a Sunday, is neither the 1st nor a Monday).
  ['0 0 1 * 1', '0 0 6 12 0', false],
  ['0 0 1 * 0', '0 0 6 12 0', true],
  ['0 0 6 * 1', '0 0 6 12 0', true],
  // One restricted: both must.
  ['0 0 * * 1', '0 0 7 12 1', true],
  ['0 0 7 * *', '0 0 7 12 1', true],
  ['0 0 8 * *', '0 0 7 12 1', false],
  ['0 0 */2 * *', '0 0 7 12 1', true],
  ['0 0 */2 * 1', '0 0 7 12 1', true],
  ['0 0 */2 * 1', '0 0 9 12 3', false],
  ['0 0 1-31/2 * 3', '0 0 9 12 3', true],
  ['0 0 * 2,4 *', '0 0 9 12 3', false],
  ['0 0 * 12 *', '0 0 9 12 3', true],
]

function typeScriptSide([expression, at]: [string, string | null, boolean]): boolean {
  const cron = parseCron(expression)
  if (typeof cron === 'string') return false
  if (at === null) return true
  const [minute, hour, day, month, weekday] = at.split(' ').map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ]
  return cronMatches(cron, { minute, hour, day, month, weekday })
}

test('the core and the server agree on a table of cron expressions and times', () => {
  const input = CASES.map(([expression, at]) => `${expression}|${at ?? ''}\n`).join('')
  const out = execFileSync(
    'sh',
    [
      '-c',
      `. "$1/cron.sh"
      while IFS='|' read -r expression at; do
        # shellcheck disable=SC2086
        if cron_check "$expression" $at; then echo 1; else echo 0; fi
      done`,
      'sh',
      LIB,
    ],
    { input, encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } },
  )
  const server = out.trim().split('\n')
  assert.equal(server.length, CASES.length)
  CASES.forEach((c, i) => {
    assert.equal(server[i] === '1', c[2], `lib/cron.sh on ${JSON.stringify(c[0])} at ${c[1] ?? '(validity)'}`)
    assert.equal(
      typeScriptSide(c),
      c[2],
      `core/rules/cron.ts on ${JSON.stringify(c[0])} at ${c[1] ?? '(validity)'}`,
    )
  })
})

test('parseCron says what is wrong', () => {
  assert.match(String(parseCron('0 3 * *')), /five fields/)
  assert.match(String(parseCron('* 24 * * *')), /hour out of 0-23/)
  assert.match(String(parseCron('* * * * MON')), /no names/)
})

test('nextCronRun: the next due minute in the server clock, from a fixed offset', () => {
  const cron = parseCron('0 3 * * *')
  assert.ok(typeof cron !== 'string')
  const from = Date.parse('2026-12-06T10:15:30Z')
  assert.equal(nextCronRun(cron, from, 0)?.toISOString(), '2026-12-07T03:00:00.000Z')
  // A server at +01:00: 03:00 there is 02:00 UTC.
  assert.equal(nextCronRun(cron, from, 60)?.toISOString(), '2026-12-07T02:00:00.000Z')
  const everyMinute = parseCron('* * * * *')
  assert.ok(typeof everyMinute !== 'string')
  assert.equal(nextCronRun(everyMinute, from, 0)?.toISOString(), '2026-12-06T10:16:00.000Z')
  const leap = parseCron('0 0 29 2 *')
  assert.ok(typeof leap !== 'string')
  assert.equal(nextCronRun(leap, from, 0)?.toISOString(), '2028-02-29T00:00:00.000Z')
  const never = parseCron('0 0 31 2 *')
  assert.ok(typeof never !== 'string')
  assert.equal(nextCronRun(never, from, 0), null)
})

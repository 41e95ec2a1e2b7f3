/**
 * Retention's selection (remote-scripts/lib/backup-retention.sh), run with the local sh as on a
 * server: 30 dated backups leave exactly the set worked out by hand (test/support/backup-dates.ts).
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { KEEP, KEPT_OF_THIRTY, THIRTY_BACKUPS } from '../support/backup-dates'

const LIB = fileURLToPath(new URL('../../remote-scripts/lib', import.meta.url))

function keep(ids: string[], daily: number, weekly: number, monthly: number): string[] {
  const out = execFileSync(
    'sh',
    [
      '-c',
      '. "$1/rules.sh"; . "$1/backup-retention.sh"; retention_keep "$2" "$3" "$4"',
      'sh',
      LIB,
      String(daily),
      String(weekly),
      String(monthly),
    ],
    { input: ids.join('\n') + '\n', encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } },
  )
  return out.split('\n').filter(Boolean)
}

test('30 dated backups: the newest of each of the last 7 days, 4 ISO weeks and 3 months are kept', () => {
  // In any order: the function sorts.
  const shuffled = [...THIRTY_BACKUPS].sort((a, b) => (a.slice(-3) < b.slice(-3) ? -1 : 1))
  assert.deepEqual(keep(shuffled, KEEP.daily, KEEP.weekly, KEEP.monthly), KEPT_OF_THIRTY)
})

test('each rule alone, a week across a new year, and lines that are no backup id', () => {
  assert.deepEqual(keep(THIRTY_BACKUPS, 0, 0, 2), ['20261206T030000Z-a206', '20261130T030000Z-a130'])
  assert.deepEqual(keep(THIRTY_BACKUPS, 2, 0, 0), ['20261206T030000Z-a206', '20261205T030000Z-a205'])
  // Monday 29 December 2025 to Sunday 4 January 2026 is one ISO week (2026-W01).
  const newYear = [
    '20251228T010000Z-0001',
    '20251229T010000Z-0002',
    '20260104T010000Z-0003',
    '20260105T010000Z-0004',
  ]
  assert.deepEqual(keep(newYear, 0, 3, 0), [
    '20260105T010000Z-0004',
    '20260104T010000Z-0003',
    '20251228T010000Z-0001',
  ])
  assert.deepEqual(keep(['not-an-id', '20260105T010000Z-0004', '20260105T010000Z-0004; rm -rf /'], 5, 0, 0), [
    '20260105T010000Z-0004',
  ])
})

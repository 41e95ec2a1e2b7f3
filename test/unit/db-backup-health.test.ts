/**
 * `db info`'s backup health, from the server's records as the scripts print them (db-info.sh's
 * `NAME backup|drill|schedule …` lines): the last good backup, the last verified restore, the last
 * failure, and stale once the last good backup is older than 1.5 times the schedule's interval.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { backupHealth, intervalMs, readSchedule } from '../../src-main/core/databases/backup-health'
import { parseDatabaseLines } from '../../src-main/core/databases/database-records'

const record =
  '{"name":"shop","engine":"postgres","version":"16","image":"postgres:16","memory":null,"cpus":null,"port":5432,"createdAt":"2026-12-01T00:00:00Z"}'
const backup = (id: string, state: string, at: string, error: object | null = null) =>
  `shop backup ${JSON.stringify({ id, target: 's3', state, at, size: 10, sha256: null, error })}`

const lines = [
  `shop record ${record}`,
  'shop state running',
  'shop link web DATABASE_URL',
  backup('20261201T030000Z-aaaa', 'verified', '2026-12-01T03:00:00Z'),
  backup('20261202T030000Z-bbbb', 'verified', '2026-12-02T03:00:00Z'),
  backup('20261203T030000Z-cccc', 'failed', '2026-12-03T03:00:00Z', {
    code: 'UPLOAD_FAILED',
    message: 'S3 down',
  }),
  backup('20261203T040000Z-dddd', 'running', '2026-12-03T04:00:00Z'),
  `shop drill ${JSON.stringify({ backup: '20261201T030000Z-aaaa', at: '2026-12-01T05:00:00Z', ok: true, counts: [] })}`,
  `shop drill ${JSON.stringify({ backup: '20261202T030000Z-bbbb', at: '2026-12-02T05:00:00Z', ok: false, counts: [] })}`,
  'shop schedule every=1d',
  'shop schedule at=03:00',
  'shop schedule target=s3',
  'shop schedule keep_daily=7',
]

test('the last good backup, verified restore and failure come from the server’s records', () => {
  const [db] = parseDatabaseLines(lines)
  assert.ok(db)
  assert.deepEqual(db.links, [{ app: 'web', key: 'DATABASE_URL' }])
  const schedule = readSchedule(db.schedule)
  assert.deepEqual(schedule, {
    every: '1d',
    at: '03:00',
    target: 's3',
    keep: { daily: 7, weekly: 0, monthly: 0 },
    drillEvery: null,
    webhook: null,
  })
  const health = backupHealth(db.backups, db.drills, schedule, Date.parse('2026-12-03T12:00:00Z'))
  assert.deepEqual(health, {
    lastGood: { id: '20261202T030000Z-bbbb', at: '2026-12-02T03:00:00Z', target: 's3' },
    lastVerifiedRestore: { backup: '20261201T030000Z-aaaa', at: '2026-12-01T05:00:00Z' },
    lastFailure: { at: '2026-12-03T03:00:00Z', code: 'UPLOAD_FAILED', message: 'S3 down' },
    stale: false,
  })
})

test('stale: a schedule and no good backup within 1.5 times its interval (or none at all)', () => {
  const [db] = parseDatabaseLines(lines)
  assert.ok(db)
  const schedule = readSchedule(db.schedule)
  const at = (iso: string) => backupHealth(db.backups, db.drills, schedule, Date.parse(iso)).stale
  assert.equal(at('2026-12-03T14:59:00Z'), false, '35h59m after the last good one')
  assert.equal(at('2026-12-03T15:01:00Z'), true, '36h01m after: over 1.5 × 1d')
  assert.equal(backupHealth([], [], schedule).stale, true, 'scheduled, never backed up')
  assert.equal(backupHealth([], [], null).stale, false, 'no schedule: never stale')
  assert.deepEqual([intervalMs('30m'), intervalMs('6h'), intervalMs('1w')], [1_800_000, 21_600_000, null])
})

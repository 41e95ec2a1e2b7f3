/**
 * The Databases views' pure parts: the addresses they route to, the backup health in words, the
 * masked URLs, and the inputs the New database form and the schedule editor send.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { BackupHealth } from '../../src-main/api/contract'
import { describeHealth, maskUrl } from '../../src-renderer/src/databases/database-format'
import {
  createInput,
  emptyForm,
  fieldOf,
  formErrors,
} from '../../src-renderer/src/databases/new-database-form'
import { scheduleErrors, scheduleForm, scheduleInput } from '../../src-renderer/src/databases/schedule-form'

const health = (fields: Partial<BackupHealth>): BackupHealth => ({
  lastGood: null,
  lastVerifiedRestore: null,
  lastFailure: null,
  stale: false,
  ...fields,
})
const good = { id: '20261206T030000Z-ab12', at: '2026-12-06T03:00:00.000Z', target: 's3' }

test('the backup health says stale, failed, good or none, failure first', () => {
  assert.equal(describeHealth(health({})).tone, 'none')
  assert.equal(describeHealth(health({ lastGood: good })).tone, 'success')
  assert.equal(describeHealth(health({ lastGood: good, stale: true })).tone, 'warning')
  assert.match(describeHealth(health({ stale: true })).text, /^Stale: no good backup/)
  const failure = { at: '2026-12-06T04:00:00.000Z', code: 'BACKUP_UPLOAD_FAILED', message: 'refused' }
  assert.equal(describeHealth(health({ lastGood: good, lastFailure: failure, stale: true })).tone, 'danger')
  // A failure older than the last good backup is history, not the state.
  const older = { ...failure, at: '2026-12-05T04:00:00.000Z' }
  assert.equal(describeHealth(health({ lastGood: good, lastFailure: older })).tone, 'success')
})

test('a connection URL is shown with its password masked, whatever the engine', () => {
  assert.equal(
    maskUrl('postgres://app:s3cr3t@127.0.0.1:5432/app'),
    'postgres://app:••••••••@127.0.0.1:5432/app',
  )
  assert.equal(maskUrl('redis://:pa:ss@127.0.0.1:6379'), 'redis://:••••••••@127.0.0.1:6379')
  assert.equal(maskUrl('mysql://root:p%40ss@db:3306/x'), 'mysql://root:••••••••@db:3306/x')
})

test('the New database form sends only what was given, and places the core’s errors by field', () => {
  const form = { ...emptyForm('edge-1'), name: 'shopdb', engine: 'redis' as const }
  assert.deepEqual(formErrors(form), {})
  assert.deepEqual(createInput(form), { name: 'shopdb', server: 'edge-1', engine: 'redis' })
  assert.deepEqual(createInput({ ...form, version: ' 7 ', memory: '1g', cpus: '0.5', image: 'r/redis:7' }), {
    name: 'shopdb',
    server: 'edge-1',
    engine: 'redis',
    version: '7',
    image: 'r/redis:7',
    memory: '1g',
    cpus: 0.5,
  })
  assert.deepEqual(Object.keys(formErrors({ ...form, name: '9db', cpus: '-1' })), ['name', 'cpus'])
  assert.equal(fieldOf({ message: 'bad', field: 'version' }), 'version')
  assert.equal(fieldOf({ message: 'gone', code: 'SERVER_NOT_FOUND' }), 'server')
  assert.equal(fieldOf({ message: 'other', field: 'nope' }), null)
})

test('the schedule editor starts from the defaults and sends the contract’s input', () => {
  const form = scheduleForm(null, 's3')
  assert.deepEqual(scheduleErrors(form), {})
  assert.deepEqual(scheduleInput('shopdb', form), {
    name: 'shopdb',
    every: '1d',
    at: '03:00',
    to: 's3',
    keepDaily: 7,
    keepWeekly: 4,
    keepMonthly: 6,
    drillEvery: '7d',
    webhook: null,
  })
  const bad = { ...form, every: 'daily', at: '3am', keepDaily: '-1', webhook: 'ftp://x' }
  assert.deepEqual(Object.keys(scheduleErrors(bad)).sort(), ['at', 'every', 'keepDaily', 'webhook'])
  // No drills: sent as null, which the contract takes as "never".
  assert.equal(scheduleInput('shopdb', { ...form, drillEvery: '' }).drillEvery, null)
})

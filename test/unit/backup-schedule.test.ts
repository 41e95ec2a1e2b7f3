import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseSchedule, scheduleOptions } from '../../src-main/core/databases/backup-schedule'
import { failsWith } from '../support/user-error'

const input = { name: 'shop', every: '1d', to: 'store', keepDaily: 7, keepWeekly: 4, keepMonthly: 6 }

test('a schedule: drilled weekly unless told, `off` or null for never, the webhook kept', () => {
  assert.deepEqual(parseSchedule({ ...input, at: '03:00' }), {
    every: '1d',
    at: '03:00',
    target: 'store',
    keep: { daily: 7, weekly: 4, monthly: 6 },
    drillEvery: '7d',
    webhook: null,
  })
  assert.equal(parseSchedule({ ...input, drillEvery: 'off' }).drillEvery, null)
  assert.equal(parseSchedule({ ...input, drillEvery: null }).drillEvery, null)
  const hooked = parseSchedule({ ...input, every: '30m', webhook: 'https://hooks.example.com/T1/x?y=1' })
  assert.equal(hooked.webhook, 'https://hooks.example.com/T1/x?y=1')
  assert.deepEqual(scheduleOptions('helvetia', 'shop', hooked), {
    prefix: 'helvetia',
    database: 'shop',
    action: 'set',
    every: '30m',
    at: undefined,
    target: 'store',
    keepDaily: 7,
    keepWeekly: 4,
    keepMonthly: 6,
    drillEvery: '7d',
    webhook: 'https://hooks.example.com/T1/x?y=1',
  })
  assert.equal(
    scheduleOptions('helvetia', 'shop', parseSchedule({ ...input, drillEvery: 'off' })).drillEvery,
    'off',
  )
})

test('each value is checked and the error names its field', () => {
  const field = (name: string) => failsWith('INVALID_OPTION', (error) => assert.equal(error.field, name))
  for (const every of ['1w', '0m', '1', 'd', '6 h', '100000d']) {
    assert.throws(() => parseSchedule({ ...input, every }), field('every'), every)
  }
  assert.throws(() => parseSchedule({ ...input, every: '6h', at: '03:00' }), field('at'))
  assert.throws(() => parseSchedule({ ...input, at: '3:00' }), field('at'))
  assert.throws(() => parseSchedule({ ...input, at: '24:00' }), field('at'))
  assert.throws(() => parseSchedule({ ...input, drillEvery: 'weekly' }), field('drillEvery'))
  for (const webhook of [
    'ftp://x',
    'file:///etc/passwd',
    'http://',
    "http://x/'a",
    'http://x/ a',
    'http://x/$(id)',
  ]) {
    assert.throws(() => parseSchedule({ ...input, webhook }), field('webhook'), webhook)
  }
})

/**
 * Restoring in place through the core's restores service, against the test server: a fresh backup of
 * the data it replaces is taken first (and no restore happens when that backup fails). The databases
 * and backups services it calls are the bed's: an empty database as `db create` leaves it and the real
 * backup pipeline (db.backup).
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createRestores } from '../../src-main/core/backups/restores'
import { databasePath } from '../../src-main/core/rules/layout'
import { sh } from '../../src-main/core/shell/quote'
import { restoreBed, type RestoreBed } from './restore-support'

function restoresOn(bed: RestoreBed) {
  return createRestores({
    scripts: bed.scripts,
    prefix: bed.prefix,
    locate: async () => ({
      target: bed.target,
      server: 'test',
      engine: 'postgres',
      version: bed.images.postgres.split(':')[1] as string,
      image: bed.images.postgres,
      memory: null,
      cpus: null,
    }),
    create: (input) => bed.emptyDatabase('postgres', input.name),
    backup: async (name) => ({ id: await bed.backup(name) }),
  })
}

test('an in-place restore backs the database up first, then replaces its data with the backup’s', async (t) => {
  const bed = await restoreBed(t)
  if (!bed) return
  const restores = restoresOn(bed)
  await bed.database('postgres', 'ledger')
  const id = await bed.backup('ledger')
  await bed.query(
    'postgres',
    'ledger',
    `INSERT INTO items (label) SELECT 'late ' || n FROM generate_series(1, 500) AS n;`,
  )
  const count = async () => (await bed.query('postgres', 'ledger', 'SELECT count(*) FROM items;')).trim()
  assert.equal(await count(), '3500')

  // The storage is down: the safety backup fails, so nothing is restored.
  await bed.s3.stop()
  await assert.rejects(restores.restore({ name: 'ledger', from: id, inPlace: true }), {
    code: 'SAFETY_BACKUP_FAILED',
  })
  assert.equal(await count(), '3500')
  await bed.s3.start()

  const result = await restores.restore({ name: 'ledger', from: id, inPlace: true })
  assert.equal(result.database, 'ledger')
  assert.equal(result.backup, id)
  assert.ok(result.safetyBackup && result.safetyBackup > id, `a new backup: ${result.safetyBackup}`)
  const records = await bed.run(sh`ls "$HOME"/${databasePath(bed.prefix, 'ledger', 'db_backups_dir')}`)
  assert.ok(records.includes(`${result.safetyBackup}.json`))
  assert.equal(await count(), '3000', 'the data is the backup’s')
  assert.deepEqual(
    result.counts.find((c) => c.table === 'public.items'),
    { table: 'public.items', expected: 3000, actual: 3000 },
  )
  // The safety backup holds what was replaced: a drill of it finds the 3,500 rows.
  const drill = await restores.drill('ledger', result.safetyBackup as string)
  assert.equal(drill.ok, true)
  assert.equal(drill.counts.find((c) => c.table === 'public.items')?.expected, 3500)

  await assert.rejects(restores.restore({ name: 'ledger', from: id, inPlace: true, into: 'other' }), {
    code: 'INVALID_OPTION',
    field: 'into',
  })
})

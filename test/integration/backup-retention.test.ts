/**
 * Retention against a bucket (s3rver, a local stand-in for a cloud bucket): 30 dated backups placed in
 * it leave exactly the set worked out by hand (test/support/backup-dates.ts), computed from the
 * manifests alone: the database has no record of them on the server.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { serverPath } from '../../src-main/core/rules/layout'
import { sh } from '../../src-main/core/shell/quote'
import { KEEP, KEPT_OF_THIRTY, THIRTY_BACKUPS } from '../support/backup-dates'
import { backupBed, storedObjects } from './backup-support'

test('30 dated backups leave exactly the expected set after retention', async (t) => {
  const bed = await backupBed(t)
  if (!bed) return
  await bed.installTarget('vault')
  const folder = `${serverPath(bed.prefix, 'databases_dir')}/placed`
  const files = THIRTY_BACKUPS.map(
    (id) =>
      sh`printf '%s\n' ${JSON.stringify({ format: 1, id, database: 'ledger', object: `helvetia/ledger/${id}.gz`, verified: true })} >${`${id}.manifest.json`}; ` +
      sh`printf '%s' ${id} >${`${id}.gz`}`,
  )
  await bed.run(
    sh`set -e; mkdir -p "$HOME"/${folder}; cd "$HOME"/${folder}; ` +
      `${files.join('; ')}; ` +
      sh`docker run --rm --network host --env-file "$HOME"/${`${serverPath(bed.prefix, 'backup_targets_dir')}/vault`} ` +
      sh`-v "$HOME"/${folder}:/placed:ro ${bed.images.rclone} copy /placed T:${bed.s3.bucket}/helvetia/ledger`,
  )
  assert.equal(storedObjects(bed).size, 60)

  const outcome = await bed.scripts.call(bed.target, 'db.retention', {
    prefix: bed.prefix,
    database: 'ledger',
    target: 'vault',
    keepDaily: KEEP.daily,
    keepWeekly: KEEP.weekly,
    keepMonthly: KEEP.monthly,
  })
  assert.deepEqual(outcome.facts, { kept: '10', deleted: '20' })
  const expected = KEPT_OF_THIRTY.flatMap((id) => [
    `helvetia/ledger/${id}.gz`,
    `helvetia/ledger/${id}.manifest.json`,
  ])
  assert.deepEqual([...storedObjects(bed).keys()].sort(), expected.sort())
})

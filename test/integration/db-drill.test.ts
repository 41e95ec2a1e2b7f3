/**
 * Restore drills and restores against the test server, of backups the real pipeline made: a backup is
 * fetched, checked against its manifest's sha256, restored (into a scratch container of the same image,
 * or into a database) and its counts compared with the manifest's; a drill's scratch container and
 * volume are removed whatever happened.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { RestoreDrill } from '../../src-main/api/backups'
import { databasePath } from '../../src-main/core/rules/layout'
import { sh } from '../../src-main/core/shell/quote'
import type { TestEngine } from './backup-support'
import { restoreBed, type RestoreBed } from './restore-support'

async function drill(bed: RestoreBed, database: string, backup: string) {
  const { facts, lines } = await bed.scripts.call(bed.target, 'db.drill', {
    prefix: bed.prefix,
    database,
    backup,
  })
  const record = JSON.parse(lines.at(-1) as string) as RestoreDrill & { backup: string }
  return { facts, record }
}

async function restore(
  bed: RestoreBed,
  database: string,
  source: string,
  backup: string,
  inPlace: 0 | 1 = 0,
) {
  const { lines } = await bed.scripts.call(bed.target, 'db.restore', {
    prefix: bed.prefix,
    database,
    source,
    backup,
    inPlace,
  })
  return JSON.parse(lines.at(-1) as string) as { backup: string; ok: boolean; counts: RestoreDrill['counts'] }
}

test('Postgres: a drill of 10,000 rows counts them all and leaves nothing; a restore goes into a new database; a corrupt object fails the drill', async (t) => {
  const bed = await restoreBed(t)
  if (!bed) return
  await bed.database('postgres', 'shop')
  await bed.query(
    'postgres',
    'shop',
    `INSERT INTO items (label) SELECT 'more ' || n FROM generate_series(1, 7000) AS n;`,
  )
  const id = await bed.backup('shop')

  const { facts, record } = await drill(bed, 'shop', 'latest')
  assert.equal(facts.ok, '1')
  assert.deepEqual(record.counts, [
    { table: 'billing.Invoices', expected: 17, actual: 17 },
    { table: 'public.items', expected: 10_000, actual: 10_000 },
  ])
  assert.equal(record.backup, id)
  assert.deepEqual(await bed.leftovers('-drill-'), [], 'the scratch container and volume are removed')
  const recorded = await bed.run(
    sh`cat "$HOME"/${databasePath(bed.prefix, 'shop', 'db_drills_dir')}/${`${facts.drill}.json`}`,
  )
  assert.deepEqual(JSON.parse(recorded), record)

  // Into a new database: the rows are there, the original keeps its own (it changed since the backup).
  await bed.query('postgres', 'shop', 'DELETE FROM items WHERE id <= 10;')
  await bed.emptyDatabase('postgres', 'shop-restored')
  const restored = await restore(bed, 'shop-restored', 'shop', id)
  assert.equal(restored.ok, true)
  assert.equal((await bed.query('postgres', 'shop-restored', 'SELECT count(*) FROM items;')).trim(), '10000')
  assert.equal((await bed.query('postgres', 'shop', 'SELECT count(*) FROM items;')).trim(), '9990')
  // A database that holds data is not restored into without --in-place.
  await assert.rejects(restore(bed, 'shop-restored', 'shop', id), { code: 'DATABASE_NOT_EMPTY' })

  // The stored object cut short (written again through S3, as a partial upload would leave it): the
  // drill fails as corrupt before restoring anything.
  const settings = `"$HOME"/.${bed.prefix}/backup-targets/${bed.targetName}`
  const rclone = `docker run --rm -i --network host --env-file ${settings} ${bed.images.rclone}`
  const key = `T:${bed.s3.bucket}/helvetia/shop/${id}.gz`
  await bed.run(
    `${rclone} cat ${key} | head -c 100 >/tmp/${bed.prefix}.gz; ${rclone} rcat ${key} </tmp/${bed.prefix}.gz; rm /tmp/${bed.prefix}.gz`,
  )
  await assert.rejects(drill(bed, 'shop', id), { code: 'BACKUP_CORRUPT' })
  assert.deepEqual(await bed.leftovers('-drill-'), [])
})

for (const engine of ['mariadb', 'redis'] as const satisfies TestEngine[]) {
  test(`${engine}: backup, drill and restore into a new database`, async (t) => {
    const bed = await restoreBed(t)
    if (!bed) return
    await bed.database(engine, 'cache')
    const id = await bed.backup('cache')
    const { record } = await drill(bed, 'cache', id)
    assert.equal(record.ok, true, JSON.stringify(record))
    assert.ok(record.counts.length > 0 && record.counts.every((c) => c.expected === c.actual && c.actual > 0))
    assert.deepEqual(await bed.leftovers('-drill-'), [])

    await bed.emptyDatabase(engine, 'cache-restored')
    const restored = await restore(bed, 'cache-restored', 'cache', 'latest')
    assert.deepEqual(restored.counts, record.counts)
    const probe = engine === 'redis' ? 'GET key:7' : 'SELECT count(*) FROM notes;'
    assert.equal(
      (await bed.query(engine, 'cache-restored', probe)).trim(),
      engine === 'redis' ? 'value-7' : '17',
    )
  })
}

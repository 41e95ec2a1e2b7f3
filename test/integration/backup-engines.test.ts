/**
 * The backup pipeline for MariaDB and Redis (remote-scripts/lib/db-dump.sh's other engines): stored
 * with a manifest whose sha256 is the stored object's and whose counts are the seeded ones.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { gunzipSync } from 'node:zlib'
import { backupBed, storedObjects, type TestEngine } from './backup-support'

test('MariaDB and Redis backups are stored with their manifests and counts', async (t) => {
  const bed = await backupBed(t)
  if (!bed) return
  await bed.installTarget('offsite')
  const cases: [TestEngine, string, Record<string, number>, RegExp][] = [
    ['mariadb', 'orders', { items: 2000, notes: 17 }, /CREATE TABLE `items`/],
    ['redis', 'cache', { db0: 20, db1: 1 }, /^REDIS/],
  ]
  await Promise.all(cases.map(([engine, name]) => bed.database(engine, name)))
  for (const [engine, name, counts, content] of cases) {
    const { facts } = await bed.scripts.call(bed.target, 'db.backup', {
      prefix: bed.prefix,
      database: name,
      target: 'offsite',
    })
    const key = `helvetia/${name}/${facts.id}`
    const stored: Buffer = readFileSync(storedObjects(bed).get(`${key}.gz`) as string)
    const manifest = JSON.parse(
      readFileSync(storedObjects(bed).get(`${key}.manifest.json`) as string, 'utf8'),
    )
    assert.equal(manifest.engine, engine)
    assert.equal(manifest.sha256, createHash('sha256').update(stored).digest('hex'))
    assert.equal(manifest.size, stored.length)
    assert.deepEqual(manifest.counts, counts)
    assert.match(gunzipSync(stored).toString('latin1'), content)
  }
})

/**
 * Restore drills against the test server: a backup is fetched, checked against its manifest's sha256,
 * restored into a scratch container of the same image, its counts compared with the manifest's, and
 * the scratch container and volume removed whatever happened.
 */
import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'
import { ScriptRunner } from '../../src-main/core/remote/script-runner'
import { handBackup, leftovers, makeDatabase, restoreTestbed, seed } from './restore-support'

const scripts = new ScriptRunner({ scriptsDir: fileURLToPath(new URL('../../remote-scripts', import.meta.url)) })

test('a drill of a Postgres backup of 10,000 rows finds them all and leaves no scratch behind', async (t) => {
  const bed = await restoreTestbed(t)
  if (!bed) return
  const runner = new ScriptRunner({ scriptsDir: fileURLToPath(new URL('../../remote-scripts', import.meta.url)), prefix: bed.prefix })
  await makeDatabase(bed, 'postgres', 'shop')
  await seed(bed, 'postgres', 'shop', 10_000)
  const backup = await handBackup(bed, 'postgres', 'shop', { 'public.items': 10_000 })
  console.log(await bed.query('postgres', 'shop', 'SELECT count(*) FROM items;'))
  console.log(await bed.run(`ls -la ~/.${bed.prefix}/databases/shop/backups; find ${bed.s3.dir} -type f | xargs ls -la`))
  const { facts, lines } = await runner.call(bed.target, 'db.drill', { prefix: bed.prefix, database: 'shop', backup: 'latest' }, { onEvent: (e) => console.log(JSON.stringify(e)) })
  console.log(facts, lines)
  void scripts
  assert.equal(facts.ok, '1')
  assert.deepEqual(await leftovers(bed, `${bed.prefix}-db-shop-drill`), [])
  void backup
})

/**
 * The backup pipeline on the server (remote-scripts/db-backup.sh): a seeded database dumped in a
 * throwaway container, uploaded to S3 (s3rver: a local stand-in for a cloud bucket, which this machine
 * cannot reach), read back and verified before its manifest is written; and the failures that must
 * never look like success: S3 down, a refused key.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readFileSync, truncateSync } from 'node:fs'
import { test } from 'node:test'
import { gunzipSync } from 'node:zlib'
import { databasePath } from '../../src-main/core/rules/layout'
import { sh } from '../../src-main/core/shell/quote'
import { failsWith } from '../support/user-error'
import { backupBed, storedObjects, type BackupBed } from './backup-support'

async function runRecord(bed: BackupBed, database: string, id: string) {
  const path = `${databasePath(bed.prefix, database, 'db_backups_dir')}/${id}.json`
  return JSON.parse(await bed.run(sh`cat "$HOME"/${path}`)) as {
    id: string
    state: string
    size: number | null
    sha256: string | null
    error: { code: string; message: string } | null
  }
}

async function backup(bed: BackupBed, database: string, target: string) {
  const ids: string[] = []
  const run = bed.scripts.call(
    bed.target,
    'db.backup',
    { prefix: bed.prefix, database, target },
    { onEvent: (e) => e.type === 'fact' && e.key === 'id' && ids.push(e.value) },
  )
  return { run, ids }
}

test('backups of a Postgres database: verified with a manifest, or failed with nothing left behind', async (t) => {
  const bed = await backupBed(t)
  if (!bed) return
  await bed.database('postgres', 'shop')
  await bed.installTarget('offsite', { prefix: 'team/a' })

  await t.test('S3 stopped: the backup fails, is recorded failed, and leaves nothing', async () => {
    await bed.s3.stop()
    try {
      const { run, ids } = await backup(bed, 'shop', 'offsite')
      await assert.rejects(run, failsWith('BACKUP_UPLOAD_FAILED'))
      const record = await runRecord(bed, 'shop', ids[0] as string)
      assert.equal(record.state, 'failed')
      assert.equal(record.error?.code, 'BACKUP_UPLOAD_FAILED')
    } finally {
      await bed.s3.start()
    }
    assert.deepEqual([...storedObjects(bed).keys()], [])
  })

  await t.test(
    'a key the storage refuses: the backup fails, is recorded failed, and leaves nothing',
    async () => {
      await bed.installTarget('refused', { accessKeyId: 'WRONG' })
      const { run, ids } = await backup(bed, 'shop', 'refused')
      await assert.rejects(
        run,
        failsWith('BACKUP_UPLOAD_FAILED', (error) =>
          assert.match(error.message, /InvalidAccessKeyId|access key/i),
        ),
      )
      assert.equal((await runRecord(bed, 'shop', ids[0] as string)).state, 'failed')
      assert.deepEqual([...storedObjects(bed).keys()], [])
    },
  )

  let id = ''
  await t.test('stored, read back and verified, with its manifest', async () => {
    const { run, ids } = await backup(bed, 'shop', 'offsite')
    const outcome = await run
    id = outcome.facts.id as string
    assert.match(id, /^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{4}$/)
    assert.deepEqual(ids, [id])

    const objects = storedObjects(bed)
    const key = `team/a/helvetia/shop/${id}`
    assert.deepEqual([...objects.keys()].sort(), [`${key}.gz`, `${key}.manifest.json`])
    const stored = readFileSync(objects.get(`${key}.gz`) as string)
    const manifest = JSON.parse(readFileSync(objects.get(`${key}.manifest.json`) as string, 'utf8'))
    assert.equal(manifest.sha256, createHash('sha256').update(stored).digest('hex'))
    assert.equal(manifest.size, stored.length)
    assert.deepEqual(
      {
        ...manifest,
        createdAt: undefined,
        verifiedAt: undefined,
        sha256: undefined,
        size: undefined,
        tools: undefined,
      },
      {
        format: 1,
        id,
        database: 'shop',
        engine: 'postgres',
        version: '15',
        image: bed.images.postgres,
        createdAt: undefined,
        object: `${key}.gz`,
        size: undefined,
        sha256: undefined,
        compression: 'gzip',
        tools: undefined,
        counts: { 'public.items': 3000, 'billing.Invoices': 17 },
        verified: true,
        verifiedAt: undefined,
      },
    )
    assert.match(manifest.tools.dump, /^pg_dump \(PostgreSQL\) 15/)
    assert.match(manifest.tools.uploader, /^rclone v/)
    // What was stored is the plain SQL dump the restore reads.
    const sql = gunzipSync(stored).toString('utf8')
    assert.match(sql, /CREATE TABLE public\.items/)
    assert.match(sql, /COPY billing\."Invoices"/)
    assert.doesNotMatch(sql, /OWNER TO/)

    const record = await runRecord(bed, 'shop', id)
    assert.deepEqual(record, {
      id,
      target: 'offsite',
      state: 'verified',
      at: manifest.createdAt,
      size: stored.length,
      sha256: manifest.sha256,
      error: null,
    })
    // The throwaway containers are gone.
    assert.equal(
      (await bed.run(sh`docker ps -a -q --filter ${`name=${bed.prefix}-db-shop-backup`}`)).trim(),
      '',
    )
  })

  await t.test('the list: the manifests in the bucket and the server’s records of every run', async () => {
    const { lines } = await bed.scripts.call(bed.target, 'db.backups', {
      prefix: bed.prefix,
      database: 'shop',
      target: 'offsite',
    })
    const manifests = lines.filter((l) => l.startsWith('manifest ')).map((l) => JSON.parse(l.slice(9)))
    const runs = lines.filter((l) => l.startsWith('run ')).map((l) => JSON.parse(l.slice(4)))
    assert.deepEqual(
      manifests.map((m) => [m.id, m.verified]),
      [[id, true]],
    )
    assert.deepEqual(runs.map((r) => r.state).sort(), ['failed', 'failed', 'verified'])
    assert.equal(lines.length, 4, lines.join('\n'))
  })

  await t.test(
    'verified again; once its stored object is truncated, it fails and is flagged corrupt',
    async () => {
      const input = { prefix: bed.prefix, database: 'shop', target: 'offsite', backup: id }
      const key = `team/a/helvetia/shop/${id}`
      const manifest = JSON.parse(
        readFileSync(storedObjects(bed).get(`${key}.manifest.json`) as string, 'utf8'),
      )
      const again = await bed.scripts.call(bed.target, 'db.verify', input)
      assert.deepEqual(again.facts, { sha256: manifest.sha256, size: String(manifest.size) })

      const file = storedObjects(bed).get(`${key}.gz`) as string
      truncateSync(file, Math.floor(manifest.size / 2))
      await assert.rejects(bed.scripts.call(bed.target, 'db.verify', input), failsWith('BACKUP_CORRUPT'))
      const flagged = JSON.parse(
        readFileSync(storedObjects(bed).get(`${key}.manifest.json`) as string, 'utf8'),
      )
      assert.equal(flagged.state, 'corrupt')
      assert.equal(flagged.verified, false)
      const record = await runRecord(bed, 'shop', id)
      assert.equal(record.state, 'corrupt')
      assert.equal(record.error?.code, 'BACKUP_CORRUPT')
    },
  )
})

/**
 * Backup and restore throughput against the test server (run by `npm run bench`): a Postgres database
 * of about 200 MB (HELVETIA_BENCH_DB_MB to change it), seeded with generate_series, under a random
 * prefix, removed afterwards. Prints MB/s (of the plain dump's bytes, so all four are comparable):
 *   backup:  Helvetia's pipeline (dump | gzip | upload, read back, manifest)  beside  plain `pg_dump | gzip`
 *   restore: Helvetia's restore (fetch, sha256, restore, count)               beside  plain `gunzip | psql`
 * each on the same server in the same run, so the pipeline's overhead is visible.
 */
import type { TestContext } from 'node:test'
import { sh } from '../../src-main/core/shell/quote'
import { restoreBed, type RestoreBed } from '../integration/restore-support'

const after: (() => unknown)[] = []
const context = {
  skip: (message?: string) => {
    throw new Error(`backup benchmark: ${message ?? 'skipped'}`)
  },
  after: (fn: () => unknown) => after.push(fn),
} as unknown as TestContext

const MB = Number(process.env.HELVETIA_BENCH_DB_MB ?? 200)

async function timed(run: () => Promise<unknown>): Promise<number> {
  const began = process.hrtime.bigint()
  await run()
  return Number(process.hrtime.bigint() - began) / 1e9
}

/** `command` in a throwaway container of the image on the bed's network, connected to database `name`. */
function plain(bed: RestoreBed, name: string, command: string): string {
  const c = `${bed.prefix}-db-${name}`
  return (
    sh`docker run --rm -i --network ${bed.prefix} -e PGPASSWORD=pw-0f3c9a -e PGUSER=app -e PGDATABASE=appdb -e PGHOST=${c} ` +
    sh`${bed.images.postgres} ${command.split(' ')}`
  )
}

async function main(): Promise<void> {
  const bed = await restoreBed(context)
  if (!bed) return
  await bed.database('postgres', 'bench')
  // ~200 bytes a row.
  const rows = Math.round((MB * 1024 * 1024) / 200)
  await bed.query(
    'postgres',
    'bench',
    `CREATE TABLE payload (id int PRIMARY KEY, body text);
     INSERT INTO payload SELECT g, md5(g::text) || repeat('x', 140) || g FROM generate_series(1, ${rows}) g;`,
  )
  const file = `/tmp/${bed.prefix}-bench.gz`
  bed.cleanup(sh`rm -f ${file}`)
  const dump = plain(bed, 'bench', 'pg_dump --no-owner --no-privileges')
  const dumpBytes = Number((await bed.run(`${dump} | wc -c`)).trim())
  const mb = dumpBytes / 1024 / 1024
  const rate = (seconds: number) => `${(mb / seconds).toFixed(1)} MB/s`.padStart(12)

  const plainBackup = await timed(() => bed.run(`${dump} | gzip >${file}`))
  let id = ''
  const backup = await timed(async () => (id = await bed.backup('bench')))

  await bed.emptyDatabase('postgres', 'bench-plain')
  await bed.emptyDatabase('postgres', 'bench-restored')
  const plainRestore = await timed(() =>
    bed.run(`gunzip -c ${file} | ${plain(bed, 'bench-plain', 'psql -X -q -v ON_ERROR_STOP=1')} >/dev/null`),
  )
  const restore = await timed(() =>
    bed.scripts.call(bed.target, 'db.restore', {
      prefix: bed.prefix,
      database: 'bench-restored',
      source: 'bench',
      backup: id,
      inPlace: 0,
    }),
  )
  console.log(`Postgres, ${mb.toFixed(0)} MB of plain dump (${rows} rows)`)
  console.log(`  backup   Helvetia ${rate(backup)}   plain pg_dump | gzip  ${rate(plainBackup)}`)
  console.log(`  restore  Helvetia ${rate(restore)}   plain gunzip | psql   ${rate(plainRestore)}`)
}

try {
  await main()
} finally {
  for (const fn of after) await fn()
}

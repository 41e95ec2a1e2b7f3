/**
 * What the restore tests share: a test server bed with a prefix, a local S3 bucket as a backup target
 * on it, databases of the test suite's images and backups of them in the agreed layout (manifest,
 * object, the server's record of the run), made here by hand from the engines' own tools so that the
 * counts a drill expects are the test's own, not the code under test's.
 */
import { randomBytes } from 'node:crypto'
import type { TestContext } from 'node:test'
import type { DatabaseEngine } from '../../src-main/api/databases'
import { sh } from '../../src-main/core/shell/quote'
import { startS3Server, type S3Server } from '../support/s3-server'
import { until } from '../support/until'
import { provisionTestbed, type Testbed } from './provision-support'

export type Engine = Extract<DatabaseEngine, 'postgres' | 'mariadb' | 'redis'>

export const IMAGES: Record<Engine, string> = {
  postgres: process.env.HELVETIA_TEST_IMAGE_POSTGRES ?? 'helvetia-test/postgres:15',
  mariadb: process.env.HELVETIA_TEST_IMAGE_MARIADB ?? 'helvetia-test/mariadb:10.11',
  redis: process.env.HELVETIA_TEST_IMAGE_REDIS ?? 'helvetia-test/redis:7',
}
const RCLONE = process.env.HELVETIA_TEST_IMAGE_RCLONE ?? 'helvetia-test/rclone:latest'

export interface RestoreBed extends Testbed {
  s3: S3Server
  /** The backup target's name on the server. */
  targetName: string
  /** Runs SQL (or redis-cli arguments) in the database's container; returns its output. */
  query(engine: Engine, name: string, input: string): Promise<string>
}

export async function restoreTestbed(t: TestContext): Promise<RestoreBed | undefined> {
  const bed = provisionTestbed(t)
  if (!bed) return undefined
  const s3 = await startS3Server(t)
  const targetName = 'drills'
  // The backup target's file as the backup helper's `backup target add` writes it on a server.
  const settings = [
    'RCLONE_CONFIG_TARGET_TYPE=s3',
    'RCLONE_CONFIG_TARGET_PROVIDER=Other',
    `RCLONE_CONFIG_TARGET_ENDPOINT=${s3.endpoint}`,
    `RCLONE_CONFIG_TARGET_ACCESS_KEY_ID=${s3.accessKeyId}`,
    `RCLONE_CONFIG_TARGET_SECRET_ACCESS_KEY=${s3.secretAccessKey}`,
    'RCLONE_CONFIG_TARGET_FORCE_PATH_STYLE=true',
    `TARGET_BUCKET=${s3.bucket}`,
    `BACKUP_UPLOADER_IMAGE=${RCLONE}`,
  ]
  const dir = `.${bed.prefix}/backup-targets`
  await bed.run(
    sh`umask 077; mkdir -p "$HOME"/${dir} && cat >"$HOME"/${`${dir}/${targetName}`}`,
    settings.map((line) => `${line.replace(/=(.*)$/, "='$1'")}\n`).join(''),
  )
  // Whatever a test left (drill scratch containers and volumes too) goes with the prefix.
  t.after(() =>
    bed.target.exec(
      `docker ps -aq --filter name=${bed.prefix}-db- | xargs -r docker rm -f -v >/dev/null; ` +
        `docker volume ls -q --filter name=${bed.prefix}-db- | xargs -r docker volume rm >/dev/null`,
    ),
  )
  const query = (engine: Engine, name: string, input: string) =>
    bed.run(
      sh`. "$HOME"/${`.${bed.prefix}/databases/${name}/credentials`}; ` +
        clientCommand(engine, `${bed.prefix}-db-${name}`),
      input,
    )
  return { ...bed, s3, targetName, query }
}

/** The engine's client in the container over TCP, credentials from the sourced credentials file. */
function clientCommand(engine: Engine, container: string): string {
  switch (engine) {
    case 'postgres':
      return sh`PGPASSWORD=$DB_PASSWORD docker exec -i -e PGPASSWORD ${container} psql -h 127.0.0.1 -U "$DB_USER" -d "$DB_NAME" -v ON_ERROR_STOP=1 -qAtX`
    case 'mariadb':
      return sh`MYSQL_PWD=$DB_ROOT_PASSWORD docker exec -i -e MYSQL_PWD ${container} mariadb -h 127.0.0.1 -uroot -N -B "$DB_NAME"`
    case 'redis':
      return sh`REDISCLI_AUTH=$DB_PASSWORD docker exec -i -e REDISCLI_AUTH ${container} redis-cli -h 127.0.0.1`
  }
}

/**
 * A database as `db create` leaves it (container `<prefix>-db-<name>` on the network, data volume,
 * 0600 credentials, database.json), ready. Stands in for the db helper's create until it is merged.
 */
export async function makeDatabase(bed: RestoreBed, engine: Engine, name: string): Promise<void> {
  const password = randomBytes(12).toString('hex')
  const credentials = { DB_USER: 'app', DB_PASSWORD: password, DB_NAME: engine === 'redis' ? '0' : 'app' }
  const root = engine === 'mariadb' ? { DB_ROOT_PASSWORD: randomBytes(12).toString('hex') } : {}
  const dir = `.${bed.prefix}/databases/${name}`
  const container = `${bed.prefix}-db-${name}`
  const env: Record<Engine, string[]> = {
    postgres: [
      `POSTGRES_USER=${credentials.DB_USER}`,
      `POSTGRES_PASSWORD=${password}`,
      `POSTGRES_DB=${credentials.DB_NAME}`,
    ],
    mariadb: [
      `MARIADB_ROOT_PASSWORD=${root.DB_ROOT_PASSWORD}`,
      `MARIADB_DATABASE=${credentials.DB_NAME}`,
      `MARIADB_USER=${credentials.DB_USER}`,
      `MARIADB_PASSWORD=${password}`,
    ],
    redis: [],
  }
  const data = { postgres: '/var/lib/postgresql/data', mariadb: '/var/lib/mysql', redis: '/data' }[engine]
  const record = { name, engine, version: IMAGES[engine].split(':')[1], image: IMAGES[engine] }
  await bed.run(
    sh`umask 077; mkdir -p "$HOME"/${dir} && cat >"$HOME"/${`${dir}/credentials`}; ` +
      sh`printf '%s\n' ${JSON.stringify(record)} >"$HOME"/${`${dir}/database.json`}; ` +
      sh`docker network inspect ${bed.prefix} >/dev/null 2>&1 || docker network create ${bed.prefix} >/dev/null; ` +
      (engine === 'redis'
        ? sh`echo ${`requirepass ${password}`} | docker run --rm -i -v ${`${container}-data:/data`} --entrypoint sh ${IMAGES.redis} -c 'cat >/data/helvetia.conf'; `
        : '') +
      sh`docker run -d --name ${container} --network ${bed.prefix} --label dev.helvetia.database=${name} ` +
      sh`-v ${`${container}-data:${data}`} ${env[engine].flatMap((e) => ['-e', e])} ${IMAGES[engine]} ` +
      (engine === 'redis' ? sh`redis-server --include /data/helvetia.conf` : '') +
      ' >/dev/null',
    Object.entries({ ...credentials, ...root })
      .map(([key, value]) => `${key}='${value}'\n`)
      .join(''),
  )
  const probe = engine === 'redis' ? 'ping' : 'SELECT 1;'
  await until(`${name} to accept connections`, 120_000, async () =>
    /PONG|^1$/m.test(await bed.query(engine, name, probe)) ? true : undefined,
  )
}

/** Seeds `rows` rows (SQL: table `items`; Redis: keys `item:N` in db0). */
export async function seed(bed: RestoreBed, engine: Engine, name: string, rows: number, tag = 'a') {
  if (engine === 'redis') {
    const lines = Array.from({ length: rows }, (_, i) => `SET item:${i} ${tag}${i}`).join('\n')
    await bed.query(engine, name, `${lines}\n`)
    return
  }
  const sql =
    engine === 'postgres'
      ? `CREATE TABLE IF NOT EXISTS items (id int PRIMARY KEY, tag text);
         INSERT INTO items SELECT g, '${tag}' || g FROM generate_series(1, ${rows}) g;`
      : `CREATE TABLE IF NOT EXISTS items (id int PRIMARY KEY, tag text);
         INSERT INTO items SELECT seq, CONCAT('${tag}', seq) FROM seq_1_to_${rows};`
  await bed.query(engine, name, sql)
}

export interface HandBackup {
  id: string
  /** The object's key in the bucket. */
  object: string
}

/**
 * A verified backup of `name` in the agreed layout: the engine's own dump (in a throwaway container of
 * its image on the network) | gzip, uploaded with rclone, its manifest beside it with `counts` (what the
 * test seeded) and the server's record of the run. Stands in for the backup helper's pipeline until
 * it is merged.
 */
export async function handBackup(
  bed: RestoreBed,
  engine: Engine,
  name: string,
  counts: Record<string, number>,
  at = new Date(),
): Promise<HandBackup> {
  const id = `${at.toISOString().replace(/[-:]/g, '').slice(0, 15)}Z-${randomBytes(2).toString('hex')}`
  const object = `helvetia/${name}/${id}.gz`
  const container = `${bed.prefix}-db-${name}`
  const dir = `.${bed.prefix}/databases/${name}`
  const tmp = `/tmp/${bed.prefix}-${id}`
  const run = `docker run --rm -i --network ${bed.prefix}`
  const dump: Record<Engine, string> = {
    postgres:
      `PGPASSWORD=$DB_PASSWORD ${run} -e PGPASSWORD ` +
      sh`${IMAGES.postgres} pg_dump -h ${container} -U "$DB_USER" --no-owner --no-privileges "$DB_NAME"`,
    mariadb:
      `MYSQL_PWD=$DB_ROOT_PASSWORD ${run} -e MYSQL_PWD ` +
      sh`${IMAGES.mariadb} mariadb-dump -h ${container} -uroot --single-transaction --routines --triggers "$DB_NAME"`,
    redis:
      `REDISCLI_AUTH=$DB_PASSWORD ${run} -e REDISCLI_AUTH ` +
      sh`--entrypoint sh ${IMAGES.redis} -c ${`redis-cli -h ${container} --rdb /tmp/dump.rdb >/dev/null && cat /tmp/dump.rdb`}`,
  }
  const rclone =
    sh`set -a; . "$HOME"/${`.${bed.prefix}/backup-targets/${bed.targetName}`}; set +a; ` +
    `docker run --rm -i --network host $(env | sed -n 's/^\\(RCLONE_CONFIG_[A-Z0-9_]*\\)=.*/-e \\1/p') "$BACKUP_UPLOADER_IMAGE"`
  // The dump into a file first, so that a failing dump fails here (sh has no pipefail).
  const out = await bed.run(
    sh`set -e; . "$HOME"/${`${dir}/credentials`}; ` +
      `${dump[engine]} >${tmp}; gzip -n ${tmp}; size=$(wc -c <${tmp}.gz); ` +
      sh`sum=$(sha256sum ${`${tmp}.gz`} | cut -d ' ' -f 1); ` +
      `(${rclone} rcat target:${bed.s3.bucket}/${object}) <${tmp}.gz; rm -f ${tmp}.gz; echo "$size $sum"`,
  )
  const [size, sha256] = out.trim().split(' ')
  const verifiedAt = new Date().toISOString()
  const manifest = {
    format: 1,
    id,
    database: name,
    engine,
    version: IMAGES[engine].split(':')[1],
    image: IMAGES[engine],
    createdAt: at.toISOString(),
    object,
    size: Number(size),
    sha256,
    compression: 'gzip',
    tools: { dump: 'test', uploader: 'rclone' },
    counts,
    verified: true,
    verifiedAt,
  }
  await bed.run(
    `(${rclone} rcat target:${bed.s3.bucket}/helvetia/${name}/${id}.manifest.json)`,
    `${JSON.stringify(manifest, null, 2)}\n`,
  )
  const record = { id, target: bed.targetName, state: 'verified', at: verifiedAt, size, sha256, error: null }
  await bed.run(
    sh`mkdir -p "$HOME"/${`${dir}/backups`} && cat >"$HOME"/${`${dir}/backups/${id}.json`}`,
    JSON.stringify(record),
  )
  return { id, object }
}

/** Names of this bed's containers and volumes that match `pattern` (`docker ps -a`, `docker volume ls`). */
export async function leftovers(bed: RestoreBed, pattern: string): Promise<string[]> {
  const out = await bed.run(
    sh`docker ps -a --format '{{.Names}}' --filter name=${pattern}; docker volume ls -q --filter name=${pattern}`,
  )
  return out.split('\n').filter(Boolean)
}

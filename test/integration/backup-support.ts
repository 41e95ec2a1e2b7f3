/**
 * What the backup tests share: the test server under a test prefix with Helvetia's network, a local
 * S3 server (s3rver, on this machine's loopback: the uploader runs on the server's host network, which
 * is this machine's), targets installed on the server, and seeded databases in the agreed layout
 * (container `<prefix>-db-<name>` on the network `<prefix>`, its record and 0600 credentials under
 * ~/.<prefix>/databases/<name>), all removed after the test.
 */
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { fileURLToPath } from 'node:url'
import { targetSettings } from '../../src-main/core/backups/target-settings'
import { databasePath } from '../../src-main/core/rules/layout'
import { ScriptRunner } from '../../src-main/core/remote/script-runner'
import { sh } from '../../src-main/core/shell/quote'
import { startS3Server, type S3Server } from '../support/s3-server'
import { provisionTestbed, type Testbed } from './provision-support'

const SCRIPTS_DIR = fileURLToPath(new URL('../../remote-scripts', import.meta.url))

export type TestEngine = 'postgres' | 'mariadb' | 'redis'

export interface BackupBed extends Testbed {
  s3: S3Server
  scripts: ScriptRunner
  images: Record<TestEngine | 'rclone', string>
  /** Writes target `name`'s settings file on the server (the core does it on first use). */
  installTarget(name: string, options?: { accessKeyId?: string; prefix?: string }): Promise<void>
  /** A running, seeded database named `name` of `engine`; resolves once it answers. */
  database(engine: TestEngine, name: string): Promise<void>
  /** Runs SQL (or redis-cli arguments) in the database's container; returns its output. */
  query(engine: TestEngine, name: string, input: string): Promise<string>
}

const USER = 'app'
const PASSWORD = 'pw-0f3c9a'
const DB_NAME = 'appdb'

export async function backupBed(t: TestContext): Promise<BackupBed | undefined> {
  const bed = provisionTestbed(t)
  if (!bed) return undefined
  const images = {
    postgres: imageFromEnv('POSTGRES'),
    mariadb: imageFromEnv('MARIADB'),
    redis: imageFromEnv('REDIS'),
    rclone: imageFromEnv('RCLONE'),
  }
  const s3 = await startS3Server(t)
  await bed.run(
    sh`docker network inspect ${bed.prefix} >/dev/null 2>&1 || docker network create ${bed.prefix} >/dev/null`,
  )
  // Run by the test bed's clean-up, last to first: the databases, then the network they held.
  bed.cleanup(sh`docker network rm ${bed.prefix} >/dev/null 2>&1; true`)
  const container = (name: string) => `${bed.prefix}-db-${name}`
  const query = (engine: TestEngine, name: string, input: string) => {
    const c = container(name)
    if (engine === 'postgres')
      return bed.run(
        sh`docker exec -i -e PGPASSWORD=${PASSWORD} ${c} psql -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -U ${USER} -d ${DB_NAME}`,
        input,
      )
    if (engine === 'mariadb')
      return bed.run(
        sh`docker exec -i -e MYSQL_PWD=${PASSWORD} ${c} mariadb -N -B -h 127.0.0.1 -u root ${DB_NAME}`,
        input,
      )
    return bed.run(sh`docker exec -i ${c} redis-cli -a ${PASSWORD} --no-auth-warning ${input.split(' ')}`)
  }
  return {
    ...bed,
    s3,
    images,
    scripts: new ScriptRunner({ scriptsDir: SCRIPTS_DIR, prefix: bed.prefix }),
    query,
    async installTarget(name, options = {}) {
      const settings = targetSettings(
        {
          endpoint: s3.endpoint,
          bucket: s3.bucket,
          region: null,
          prefix: options.prefix ?? null,
          accessKeyId: options.accessKeyId ?? s3.accessKeyId,
        },
        s3.secretAccessKey,
        images.rclone,
      )
      await new ScriptRunner({ scriptsDir: SCRIPTS_DIR, prefix: bed.prefix }).call(
        bed.target,
        'backup-target.install',
        { prefix: bed.prefix, target: name, action: 'install' },
        { stdin: settings },
      )
    },
    async database(engine, name) {
      const c = container(name)
      bed.cleanup(
        sh`docker rm -f -v ${c} >/dev/null 2>&1; docker volume rm ${`${c}-data`} >/dev/null 2>&1; true`,
      )
      const env =
        engine === 'postgres'
          ? [
              '-e',
              `POSTGRES_USER=${USER}`,
              '-e',
              `POSTGRES_PASSWORD=${PASSWORD}`,
              '-e',
              `POSTGRES_DB=${DB_NAME}`,
            ]
          : engine === 'mariadb'
            ? [
                '-e',
                `MARIADB_ROOT_PASSWORD=${PASSWORD}`,
                '-e',
                `MARIADB_DATABASE=${DB_NAME}`,
                '-e',
                `MARIADB_USER=${USER}`,
                '-e',
                `MARIADB_PASSWORD=${PASSWORD}`,
              ]
            : []
      const command = engine === 'redis' ? ['redis-server', '--requirepass', PASSWORD] : []
      const record = JSON.stringify({
        name,
        engine,
        version: images[engine].split(':')[1],
        image: images[engine],
      })
      const credentials =
        `DB_USER='${USER}'\nDB_PASSWORD='${PASSWORD}'\nDB_NAME='${DB_NAME}'\n` +
        (engine === 'mariadb' ? `DB_ROOT_PASSWORD='${PASSWORD}'\n` : '')
      const recordPath = databasePath(bed.prefix, name, 'db_record')
      const credentialsPath = databasePath(bed.prefix, name, 'db_credentials')
      await bed.run(
        sh`set -e; umask 077; mkdir -p "$HOME"/${databasePath(bed.prefix, name, 'db_backups_dir')}; ` +
          sh`printf '%s\n' ${record} >"$HOME"/${recordPath}; printf '%s' ${credentials} >"$HOME"/${credentialsPath}; ` +
          sh`docker run -d --name ${c} --network ${bed.prefix} -v ${`${c}-data`}:/data ${env} ${images[engine]} ${command} >/dev/null`,
      )
      // Until it answers over TCP: the entry point first runs the engine without networking to initialise it.
      const probe = engine === 'redis' ? 'PING' : 'SELECT 1;'
      for (let tries = 0; ; tries++) {
        try {
          await query(engine, name, probe)
          break
        } catch (error) {
          if (tries > 300) throw error
          await new Promise((resolve) => setTimeout(resolve, 200))
        }
      }
      if (engine === 'postgres') {
        await query(
          engine,
          name,
          `CREATE TABLE items (id serial PRIMARY KEY, label text NOT NULL);
           INSERT INTO items (label) SELECT 'item ' || n FROM generate_series(1, 3000) AS n;
           CREATE SCHEMA billing; CREATE TABLE billing."Invoices" (id int); INSERT INTO billing."Invoices" SELECT generate_series(1, 17);`,
        )
      } else if (engine === 'mariadb') {
        await query(
          engine,
          name,
          `CREATE TABLE items (id INT AUTO_INCREMENT PRIMARY KEY, label TEXT NOT NULL);
           INSERT INTO items (label) SELECT CONCAT('item ', seq) FROM seq_1_to_2000;
           CREATE TABLE notes (id INT); INSERT INTO notes SELECT seq FROM seq_1_to_17;`,
        )
      } else {
        for (let n = 0; n < 20; n++) await query(engine, name, `SET key:${n} value-${n}`)
        await query(engine, name, '-n 1 SET other one')
      }
    },
  }
}

/** Every object s3rver holds for the bucket, by key (its files are `KEY._S3rver_object`). */
export function storedObjects(bed: Pick<BackupBed, 's3'>): Map<string, string> {
  const root = join(bed.s3.dir, bed.s3.bucket)
  const objects = new Map<string, string>()
  if (!existsSync(root)) return objects
  for (const path of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    if (path.endsWith('._S3rver_object'))
      objects.set(path.slice(0, -'._S3rver_object'.length), join(root, path))
  }
  return objects
}

function imageFromEnv(engine: string): string {
  const image = process.env[`HELVETIA_TEST_IMAGE_${engine}`]
  if (!image) throw new Error(`HELVETIA_TEST_IMAGE_${engine} is not set (see test/server/up.sh)`)
  return image
}

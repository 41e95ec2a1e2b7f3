/**
 * What the restore tests share: the backup tests' bed (test prefix, network, local S3, a target, seeded
 * databases, backups by the real pipeline) plus empty databases to restore into, as `db create` leaves
 * them, and what a drill may leave behind.
 */
import type { TestContext } from 'node:test'
import { databasePath } from '../../src-main/core/rules/layout'
import { sh } from '../../src-main/core/shell/quote'
import { until } from '../support/until'
import { backupBed, type BackupBed, type TestEngine } from './backup-support'

export interface RestoreBed extends BackupBed {
  /** The target backups go to (installed). */
  targetName: string
  /**
   * An empty database `name` (container, volume, record, 0600 credentials), ready. Stands in for
   * `db create` (the db helper's) until it is merged; the same credentials as the bed's seeded ones.
   */
  emptyDatabase(engine: TestEngine, name: string): Promise<void>
  /** Backs `name` up to the target; resolves with the backup's id. */
  backup(name: string): Promise<string>
  /** This bed's containers and volumes whose name contains `part` (`docker ps -a`, `docker volume ls`). */
  leftovers(part: string): Promise<string[]>
}

export async function restoreBed(t: TestContext): Promise<RestoreBed | undefined> {
  const bed = await backupBed(t)
  if (!bed) return undefined
  const targetName = 'vault'
  await bed.installTarget(targetName)
  return {
    ...bed,
    targetName,
    async backup(name) {
      const { facts } = await bed.scripts.call(bed.target, 'db.backup', {
        prefix: bed.prefix,
        database: name,
        target: targetName,
      })
      return facts.id as string
    },
    async leftovers(part) {
      const out = await bed.run(
        sh`docker ps -a --format '{{.Names}}'; docker volume ls -q --filter name=${bed.prefix}`,
      )
      return out.split('\n').filter((name) => name.startsWith(bed.prefix) && name.includes(part))
    },
    async emptyDatabase(engine, name) {
      const c = `${bed.prefix}-db-${name}`
      bed.cleanup(
        sh`docker rm -f -v ${c} >/dev/null 2>&1; docker volume rm ${`${c}-data`} >/dev/null 2>&1; true`,
      )
      const password = 'pw-0f3c9a'
      const env = {
        postgres: ['POSTGRES_USER=app', `POSTGRES_PASSWORD=${password}`, 'POSTGRES_DB=appdb'],
        mariadb: [
          `MARIADB_ROOT_PASSWORD=${password}`,
          'MARIADB_DATABASE=appdb',
          'MARIADB_USER=app',
          `MARIADB_PASSWORD=${password}`,
        ],
        redis: [],
      }[engine].flatMap((e) => ['-e', e])
      const data = { postgres: '/var/lib/postgresql/data', mariadb: '/var/lib/mysql', redis: '/data' }[engine]
      const command = engine === 'redis' ? ['redis-server', '--requirepass', password] : []
      const record = JSON.stringify({
        name,
        engine,
        version: bed.images[engine].split(':')[1],
        image: bed.images[engine],
      })
      const credentials =
        `DB_USER='app'\nDB_PASSWORD='${password}'\nDB_NAME='appdb'\n` +
        (engine === 'mariadb' ? `DB_ROOT_PASSWORD='${password}'\n` : '')
      await bed.run(
        sh`set -e; umask 077; mkdir -p "$HOME"/${databasePath(bed.prefix, name, 'db_backups_dir')}; ` +
          sh`printf '%s\n' ${record} >"$HOME"/${databasePath(bed.prefix, name, 'db_record')}; ` +
          sh`printf '%s' ${credentials} >"$HOME"/${databasePath(bed.prefix, name, 'db_credentials')}; ` +
          sh`docker run -d --name ${c} --network ${bed.prefix} -v ${`${c}-data:${data}`} ${env} ${bed.images[engine]} ${command} >/dev/null`,
      )
      const probe = engine === 'redis' ? 'PING' : 'SELECT 1;'
      await until(`${name} to answer`, 120_000, async () =>
        (await bed.query(engine, name, probe)) ? true : undefined,
      )
    },
  }
}

import type { Command } from 'commander'
import type { BackupInfo } from '../../api/contract'
import { output, table, withApi, type OutputOptions } from '../context'
import { backupScheduleCommands } from './db-schedule'
import { parseCount } from '../parse'
import { readSecret } from '../prompt'

interface AddTargetOptions {
  s3: string
  bucket: string
  region?: string
  prefix?: string
  accessKeyId: string
}

/** `backup target add|list|remove`: the S3-compatible buckets backups go to. */
export function backupTargetCommands(program: Command): void {
  const target = program
    .command('backup')
    .description('Where backups go')
    .command('target')
    .description('S3-compatible buckets that database backups go to')

  target
    .command('add')
    .argument('<name>', 'a name for the target')
    .description(
      'Add a target; the secret key is read from standard input (or asked for, hidden, on a terminal) and kept in the OS keychain',
    )
    .requiredOption('--s3 <endpoint>', 'the S3 endpoint, https://host[:port]')
    .requiredOption('--bucket <bucket>', 'the bucket (it must exist)')
    .option('--region <region>', "the storage's region, when it needs one")
    .option('--prefix <prefix>', 'folders in the bucket to keep the backups under')
    .requiredOption('--access-key-id <id>', 'the access key id')
    .action((name: string, options: AddTargetOptions) =>
      withApi(async (api) => {
        const secretAccessKey = await readSecret('Secret access key: ')
        const added = await api.call('backups:addTarget', {
          name,
          endpoint: options.s3,
          bucket: options.bucket,
          ...(options.region ? { region: options.region } : {}),
          ...(options.prefix ? { prefix: options.prefix } : {}),
          accessKeyId: options.accessKeyId,
          secretAccessKey,
        })
        process.stderr.write(
          `Added backup target ${added.name} (${added.endpoint}, bucket ${added.bucket}).\n`,
        )
      }),
    )

  target
    .command('list')
    .description('List the targets')
    .option('--json', 'print JSON')
    .action((options: OutputOptions) =>
      withApi(async (api) =>
        output(options, await api.call('backups:targets', undefined), (targets) =>
          targets.length === 0
            ? 'No backup targets.'
            : table([
                ['NAME', 'ENDPOINT', 'BUCKET', 'PREFIX', 'ACCESS KEY ID', 'SERVERS'],
                ...targets.map((t) => [
                  t.name,
                  t.endpoint,
                  t.bucket,
                  t.prefix ?? '',
                  t.accessKeyId,
                  t.servers.join(','),
                ]),
              ]),
        ),
      ),
    )

  target
    .command('remove')
    .argument('<name>', 'target name')
    .description(
      'Remove a target: its keychain entry and its settings file on each server (backups in the bucket stay)',
    )
    .action((name: string) =>
      withApi(async (api) => {
        const { unreachable } = await api.call('backups:removeTarget', { name })
        process.stderr.write(`Removed backup target ${name}.\n`)
        if (unreachable.length > 0) {
          process.stderr.write(
            `Could not reach ${unreachable.join(', ')}: delete its settings file there by hand (~/.helvetia/backup-targets/${name}).\n`,
          )
        }
      }),
    )
}

/** The names for a backup in `db backups`: id, time, size, state, verified. */
export const backupRow = (b: BackupInfo) => ({
  id: b.id,
  time: b.at,
  size: b.size,
  state: b.state,
  verified: b.verified,
})

function describe(b: BackupInfo): string {
  return `Backup ${b.id} of ${b.database} to ${b.target}: ${b.state}, ${b.size} bytes, sha256 ${b.sha256 ?? '-'}`
}

/** `db backup NAME`, `db backup verify|prune|schedule|unschedule` and `db backups NAME`, under the `db` command. */
export function dbBackupCommands(program: Command): void {
  const db = program.commands.find((c) => c.name() === 'db') ?? program.command('db').description('Databases')

  const backup = db
    .command('backup')
    .argument('<name>', 'database name')
    .description('Back the database up now; exits 0 only once the stored backup was read back and verified')
    .option('--to <target>', "the backup target (default: the schedule's, or the only one)")
    .action((name: string, options: { to?: string }) =>
      withApi(async (api) => {
        process.stderr.write(`Backing up ${name}: dump, upload, read back and verify…\n`)
        const made = await api.call('databases:backup', { name, ...(options.to ? { to: options.to } : {}) })
        process.stdout.write(`${describe(made)}\n`)
      }),
    )

  backup
    .command('verify')
    .argument('<name>', 'database name')
    .argument('<backup>', 'backup id, as `db backups` lists it')
    .description('Read a backup back and compare it with its manifest; a mismatch flags it corrupt and fails')
    .action((name: string, id: string) =>
      withApi(async (api) => {
        process.stdout.write(`${describe(await api.call('databases:verify', { name, backup: id }))}\n`)
      }),
    )

  backup
    .command('prune')
    .argument('<name>', 'database name')
    .description(
      'Delete the backups retention does not keep: the newest of each of the last N days, ISO weeks and months',
    )
    .option('--to <target>', "the backup target (default: the schedule's, or the only one)")
    .requiredOption('--keep-daily <n>', 'days to keep a backup of', parseCount)
    .requiredOption('--keep-weekly <n>', 'weeks to keep a backup of', parseCount)
    .requiredOption('--keep-monthly <n>', 'months to keep a backup of', parseCount)
    .action(
      (name: string, options: { to?: string; keepDaily: number; keepWeekly: number; keepMonthly: number }) =>
        withApi(async (api) => {
          const { kept, deleted } = await api.call('databases:prune', { name, ...options })
          process.stderr.write(`Kept ${kept} backup(s) of ${name}, deleted ${deleted}.\n`)
        }),
    )

  db.command('backups')
    .argument('<name>', 'database name')
    .description("List the database's backups, newest first (failed runs too)")
    .option('--to <target>', "the backup target (default: the schedule's, or the only one)")
    .option('--json', 'print JSON: id, time, size, state, verified')
    .action((name: string, options: OutputOptions & { to?: string }) =>
      withApi(async (api) => {
        const backups = await api.call('databases:backups', {
          name,
          ...(options.to ? { target: options.to } : {}),
        })
        output(options, backups.map(backupRow), (rows) =>
          rows.length === 0
            ? 'No backups.'
            : table([
                ['ID', 'TIME', 'SIZE', 'STATE', 'VERIFIED'],
                ...rows.map((r) => [r.id, r.time, String(r.size), r.state, r.verified ? 'yes' : 'no']),
              ]),
        )
      }),
    )
  backupScheduleCommands(db)
}

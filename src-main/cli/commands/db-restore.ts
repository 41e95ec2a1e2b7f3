import type { Command } from 'commander'
import type { RestoreDrill } from '../../api/backups'
import { output, withApi, type OutputOptions } from '../context'

const countLines = (counts: RestoreDrill['counts']) =>
  counts.map((c) => `  ${c.table}: ${c.actual} of ${c.expected}${c.actual === c.expected ? '' : '  DIFFERS'}`)

/** `db backup drill NAME BACKUP` and `db restore NAME --from BACKUP`, beside the backup commands. */
export function dbRestoreCommands(program: Command): void {
  const db = program.commands.find((c) => c.name() === 'db') ?? program.command('db').description('Databases')
  const backup = db.commands.find((c) => c.name() === 'backup') ?? db.command('backup')

  backup
    .command('drill')
    .argument('<name>', 'database name')
    .argument('<backup>', 'backup id, or latest (the newest verified one)')
    .description(
      'Restore the backup into a scratch container of the same engine version, compare its counts with the manifest, remove the scratch',
    )
    .option('--json', 'print the drill as JSON')
    .action((name: string, id: string, options: OutputOptions) =>
      withApi(async (api) => {
        process.stderr.write(
          `Drilling ${id} of ${name}: fetch, check its hash, restore into a scratch database…\n`,
        )
        const drill = await api.call('databases:drill', { name, backup: id })
        output(options, drill, (d) =>
          [
            `Restore drill ${d.ok ? 'passed' : 'FAILED'}: counts ${d.ok ? 'equal' : 'differ'}.`,
            ...countLines(d.counts),
          ].join('\n'),
        )
        if (!drill.ok) process.exitCode = 1
      }),
    )

  db.command('restore')
    .argument('<name>', 'database name')
    .description(
      'Restore a backup into a new database (default NAME-restored-TIME), or in place after a fresh backup',
    )
    .requiredOption('--from <backup>', 'backup id, or latest (the newest verified one)')
    .option('--into <newname>', 'the new database to create and restore into')
    .option('--in-place', "replace NAME's data; a fresh backup of it is taken first")
    .option('--json', 'print the result as JSON')
    .action((name: string, options: OutputOptions & { from: string; into?: string; inPlace?: boolean }) =>
      withApi(async (api) => {
        if (options.inPlace) {
          process.stderr.write(`Restoring ${name} in place: a backup of its current data is taken first.\n`)
        }
        const result = await api.call('databases:restore', {
          name,
          from: options.from,
          ...(options.into ? { into: options.into } : {}),
          ...(options.inPlace ? { inPlace: true } : {}),
        })
        output(options, result, (r) =>
          [
            ...(r.safetyBackup ? [`Backed up ${name} first: ${r.safetyBackup}`] : []),
            `Restored ${r.backup} into ${r.database}:`,
            ...countLines(r.counts),
          ].join('\n'),
        )
      }),
    )
}

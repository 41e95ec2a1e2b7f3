import type { Command } from 'commander'
import type { BackupSchedule } from '../../api/databases'
import { output, table, withApi, type OutputOptions } from '../context'
import { parseCount } from '../parse'

interface ScheduleOptions extends OutputOptions {
  every: string
  at?: string
  to: string
  keepDaily: number
  keepWeekly: number
  keepMonthly: number
  drillEvery?: string
  webhook?: string
}

/** `db backup schedule|unschedule NAME`: backups the server runs by itself (its backup agent). */
export function backupScheduleCommands(backup: Command): void {
  backup
    .command('schedule')
    .argument('<name>', 'the database')
    .description(
      'Back the database up on a schedule its server runs by itself, with this computer off; a run missed while the server was down runs once when it is back',
    )
    .requiredOption('--every <interval>', 'how often: minutes, hours or days, like 30m, 6h, 1d')
    .option('--at <HH:MM>', 'with an interval in days: the time of day (server time)')
    .requiredOption('--to <target>', 'the backup target (helvetia backup target list)')
    .option('--keep-daily <n>', 'daily backups retention keeps', parseCount, 7)
    .option('--keep-weekly <n>', 'weekly backups retention keeps', parseCount, 4)
    .option('--keep-monthly <n>', 'monthly backups retention keeps', parseCount, 6)
    .option('--drill-every <interval>', 'how often the newest backup is restore-drilled, or off', '7d')
    .option('--webhook <url>', 'an http(s) URL told (a JSON POST) when a backup fails or goes stale')
    .option('--json', 'print the schedule as JSON')
    .action((name: string, options: ScheduleOptions) =>
      withApi(async (api) => {
        const schedule = await api.call('databases:schedule', {
          name,
          every: options.every,
          at: options.at,
          to: options.to,
          keepDaily: options.keepDaily,
          keepWeekly: options.keepWeekly,
          keepMonthly: options.keepMonthly,
          drillEvery: options.drillEvery,
          webhook: options.webhook,
        })
        output(options, schedule, (s) => `Scheduled backups of ${name}.\n${describeSchedule(s)}`)
      }),
    )

  backup
    .command('unschedule')
    .argument('<name>', 'the database')
    .description('Stop the scheduled backups of the database (its backups stay)')
    .action((name: string) =>
      withApi(async (api) => {
        await api.call('databases:unschedule', { name })
        process.stdout.write(`${name} is no longer backed up on a schedule; its backups stay.\n`)
      }),
    )
}

/** A schedule as `db info` and `db backup schedule` show it. */
export function describeSchedule(schedule: BackupSchedule): string {
  const { keep } = schedule
  return table([
    ['  Every', `${schedule.every}${schedule.at ? ` at ${schedule.at} (server time)` : ''}`],
    ['  To', schedule.target],
    ['  Keeps', `${keep.daily} daily, ${keep.weekly} weekly, ${keep.monthly} monthly`],
    ['  Restore drill', schedule.drillEvery ? `every ${schedule.drillEvery}` : 'off'],
    ['  Webhook', schedule.webhook ? 'on failure and when stale' : 'none'],
    ['  Runs', 'on the server (its backup agent), with this computer off'],
  ])
}

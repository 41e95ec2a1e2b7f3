import type { Command } from 'commander'
import type { Job, JobRun } from '../../api/contract'
import { output, table, withApi, type OutputOptions } from '../context'

/** `jobs APP` and `job add|remove|runs|log|run`: scheduled jobs the app's server runs by itself. */
export function jobCommands(program: Command): void {
  program
    .command('jobs')
    .argument('<app>', 'app name')
    .description('The app’s scheduled jobs: schedule, last run (state, exit code, duration, time), next run')
    .option('--json', 'print JSON')
    .action((app: string, options: OutputOptions) =>
      withApi(async (api) => {
        output(options, await api.call('jobs:list', { app }), (jobs: Job[]) =>
          jobs.length === 0
            ? `${app} has no scheduled jobs. Add one: helvetia job add ${app} NAME --cron "0 3 * * *" --command "…"`
            : table([
                ['JOB', 'CRON', 'LAST RUN', 'EXIT', 'DURATION', 'AT', 'NEXT RUN'],
                ...jobs.map((j) => [
                  j.name,
                  j.cron,
                  j.lastRun?.state ?? 'never',
                  String(j.lastRun?.exitCode ?? ''),
                  duration(j.lastRun),
                  j.lastRun?.startedAt ?? '',
                  j.nextRunAt ?? '',
                ]),
              ]),
        )
      }),
    )

  const job = program.command('job').description('Scheduled jobs of an app, run by its server')
  job
    .command('add')
    .argument('<app>', 'app name')
    .argument('<name>', 'job name')
    .description(
      'Run a command on a schedule (server time) in a container of the app’s live image, with its env and volumes, by the server itself; a run missed while the server was down is not made up',
    )
    .requiredOption(
      '--cron <expression>',
      'five fields: minute hour day-of-month month day-of-week, like "0 3 * * *"',
    )
    .requiredOption('--command <command>', 'run with sh -c, like "node scripts/report.js"')
    .option('--json', 'print JSON')
    .action((app: string, name: string, options: OutputOptions & { cron: string; command: string }) =>
      withApi(async (api) => {
        const added = await api.call('jobs:add', { app, name, cron: options.cron, command: options.command })
        output(
          options,
          added,
          (j) =>
            `${app}'s job ${j.name} runs ${j.cron} (server time), next at ${j.nextRunAt ?? '—'}, by the server itself.`,
        )
      }),
    )
  job
    .command('remove')
    .argument('<app>', 'app name')
    .argument('<name>', 'job name')
    .description('Remove a scheduled job and its runs')
    .action((app: string, name: string) =>
      withApi(async (api) => {
        await api.call('jobs:remove', { app, name })
        process.stdout.write(`Removed ${app}'s job ${name}.\n`)
      }),
    )
  job
    .command('runs')
    .argument('<app>', 'app name')
    .argument('<name>', 'job name')
    .description('The kept runs of a job (the last 20), newest first')
    .option('--json', 'print JSON')
    .action((app: string, name: string, options: OutputOptions) =>
      withApi(async (api) => {
        output(options, await api.call('jobs:runs', { app, name }), (runs: JobRun[]) =>
          runs.length === 0
            ? `${name} has not run yet.`
            : table([
                ['RUN', 'STATE', 'EXIT', 'DURATION', 'STARTED'],
                ...runs.map((r) => [r.id, r.state, String(r.exitCode ?? ''), duration(r), r.startedAt]),
              ]),
        )
      }),
    )
  job
    .command('log')
    .argument('<app>', 'app name')
    .argument('<name>', 'job name')
    .argument('<run>', 'run id (helvetia job runs)')
    .description('The log of one run, secrets masked')
    .action((app: string, name: string, run: string) =>
      withApi(async (api) => {
        const { log } = await api.call('jobs:run-log', { app, name, run })
        process.stdout.write(log)
      }),
    )
  job
    .command('run')
    .argument('<app>', 'app name')
    .argument('<name>', 'job name')
    .description('Run a job now, on the server; exits 1 when the run fails')
    .option('--json', 'print JSON')
    .action((app: string, name: string, options: OutputOptions) =>
      withApi(async (api) => {
        const run = await api.call('jobs:run', { app, name })
        output(
          options,
          run,
          (r) =>
            `${name} ${r.state} (exit code ${r.exitCode ?? '—'}, ${duration(r)}): helvetia job log ${app} ${name} ${r.id}`,
        )
        if (run.state === 'failed') process.exitCode = 1
      }),
    )
}

function duration(run: JobRun | null): string {
  if (!run || run.durationMs === null) return ''
  return run.durationMs < 10_000
    ? `${(run.durationMs / 1000).toFixed(1)}s`
    : `${Math.round(run.durationMs / 1000)}s`
}

import type { Command } from 'commander'
import type {
  CreateDatabaseEvent,
  CreateDatabaseInput,
  DatabaseEngine,
  DatabaseInfo,
  DatabaseListing,
} from '../../api/contract'
import { UserError } from '../../core/errors'
import { outcome, output, table, withApi, type OutputOptions } from '../context'
import { parseCpus } from '../parse'
import { confirm, interactive } from '../prompt'
import { describeSchedule } from './db-schedule'
import { printProgress } from './server'

interface CreateOptions extends OutputOptions {
  server: string
  engine: string
  version?: string
  image?: string
  memory?: string
  cpus?: number
}

/** `db …`: databases on the servers, each on Helvetia's network only. */
export function dbCommands(program: Command): void {
  const db = program
    .command('db')
    .description('Databases on your servers (Postgres, MySQL, MariaDB, Redis, MongoDB)')
  createCommand(db)
  listCommand(db)
  infoCommand(db)
  removeCommand(db)
}

const isDone = (event: CreateDatabaseEvent): event is Extract<CreateDatabaseEvent, { type: 'done' }> =>
  event.type === 'done'

function createCommand(db: Command): void {
  db.command('create')
    .argument('<name>', 'the database name, a DNS label like shop-db')
    .description('Create a database on a server and wait until it accepts connections')
    .requiredOption('--server <name>', 'the server it runs on')
    .requiredOption('--engine <engine>', 'postgres, mysql, mariadb, redis or mongodb')
    .option('--version <tag>', "the engine's version, the image's tag (default: the pinned major version)")
    .option('--image <image>', 'another image honouring the official one’s environment (a private registry)')
    .option('--memory <size>', 'memory limit, like 1g')
    .option('--cpus <n>', 'CPU limit, like 1 or 0.5', parseCpus)
    .option('--json', 'print the database as JSON (progress still goes to stderr)')
    .action((name: string, options: CreateOptions) =>
      withApi(async (api) => {
        const { json, engine, ...rest } = options
        // The core checks the engine (and names the field when it is none of them).
        const input: CreateDatabaseInput = { name, engine: engine as DatabaseEngine, ...rest }
        const done = await outcome(api, 'databases:create', input, isDone, printProgress)
        output({ json }, done.database, (d) => `Created ${d.name} on ${d.server}.\n${describe(d)}`)
      }),
    )
}

function listCommand(db: Command): void {
  db.command('list')
    .description('List the databases of every server')
    .option('--json', 'print JSON')
    .action((options: OutputOptions) =>
      withApi(async (api) => {
        const listing = await api.call('databases:list')
        for (const { server, message } of listing.unreachable) {
          process.stderr.write(
            `Warning: ${server} could not be read, its databases are left out: ${message}\n`,
          )
        }
        output(options, listing, ({ databases }: DatabaseListing) =>
          databases.length === 0
            ? 'No databases yet. Create one with `helvetia db create NAME --server S --engine postgres`.'
            : table([
                ['NAME', 'SERVER', 'ENGINE', 'VERSION', 'STATE', 'LINKED APPS'],
                ...databases.map((d) => [
                  d.name,
                  d.server,
                  d.engine,
                  d.version,
                  d.state,
                  d.linkedApps.map((l) => l.app).join(' ') || '-',
                ]),
              ]),
        )
      }),
    )
}

function infoCommand(db: Command): void {
  db.command('info')
    .argument('<name>', 'database name')
    .description('A database: engine, image, state, linked apps, connection URL (password masked), backups')
    .option('--json', 'print JSON')
    .action((name: string, options: OutputOptions) =>
      withApi(async (api) => output(options, await api.call('databases:info', { name }), describe)),
    )
}

function removeCommand(db: Command): void {
  db.command('remove')
    .argument('<name>', 'database name')
    .description('Remove a database from its server: its container, and its data unless --keep-volume')
    .option(
      '--keep-volume',
      'keep the data volume (and its credentials) for a later `db create` of this name',
    )
    .option('--yes', 'remove without asking')
    .action((name: string, options: { keepVolume?: boolean; yes?: boolean }) =>
      withApi(async (api) => {
        const keepVolume = options.keepVolume === true
        if (!options.yes) {
          const what = keepVolume
            ? `Remove the database ${name} (its data volume stays)?`
            : `Remove the database ${name} and delete its data?`
          if (!interactive()) {
            throw new UserError(
              'CONFIRMATION_NEEDED',
              `${what} Not asked: no terminal.`,
              'Pass --yes to remove it (add --keep-volume to keep its data).',
            )
          }
          if (!(await confirm(what))) {
            process.stderr.write('Nothing removed.\n')
            return
          }
        }
        await api.call('databases:remove', { name, keepVolume })
        process.stderr.write(
          keepVolume ? `Removed ${name}; its data volume is kept.\n` : `Removed ${name} and its data.\n`,
        )
      }),
    )
}

/** `db info`'s text: one fact a line. */
function describe(d: DatabaseInfo): string {
  const { lastGood, lastVerifiedRestore, lastFailure, stale } = d.backups
  const limits = [d.memory && `memory ${d.memory}`, d.cpus !== null && `cpus ${d.cpus}`].filter(Boolean)
  return table([
    ['Name', d.name],
    ['Server', d.server],
    ['Engine', `${d.engine} ${d.version}`],
    ['Image', d.image],
    ['State', d.state],
    ['Limits', limits.join(', ') || 'none'],
    ['URL', `${d.url} (inside Helvetia's network, password masked)`],
    ['Linked apps', d.linkedApps.map((l) => `${l.app} (${l.key})`).join(', ') || 'none'],
    ['Last backup', lastGood ? `${lastGood.id} at ${lastGood.at} to ${lastGood.target}` : 'none'],
    [
      'Last restore',
      lastVerifiedRestore ? `of ${lastVerifiedRestore.backup} at ${lastVerifiedRestore.at}` : 'none verified',
    ],
    ...(lastFailure
      ? [['Last failure', `${lastFailure.at} ${lastFailure.code}: ${lastFailure.message}`]]
      : []),
    ['Stale', stale ? `yes: no good backup within 1.5 × ${d.schedule?.every ?? ''}` : 'no'],
    ['Schedule', d.schedule ? describeSchedule(d.schedule) : 'none (helvetia db backup schedule)'],
  ])
}

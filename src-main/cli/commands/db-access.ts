import type { Command } from 'commander'
import { follow, withApi, type OutputOptions } from '../context'
import { parsePort } from '../parse'
import { runTerminal } from '../terminal-client'

/**
 * `db link`, `db unlink`, `db tunnel` and `db shell`: databases linked to apps and reached from this
 * computer. Added to the `db` command (made here if the databases' own commands have not made it yet).
 */
export function dbAccessCommands(program: Command): void {
  const db =
    program.commands.find((command) => command.name() === 'db') ??
    program.command('db').description('Databases on your servers')

  db.command('link')
    .argument('<name>', 'database name')
    .argument('<app>', 'app name (on the same server)')
    .description(
      "Put the database's connection URL into the app's env as a secret (pending until the next deploy)",
    )
    .option('--as <key>', 'the env key (default DATABASE_URL; REDIS_URL for redis, MONGODB_URL for mongodb)')
    .action((name: string, app: string, options: { as?: string }) =>
      withApi(async (api) => {
        const { key } = await api.call('databases:link', { name, app, as: options.as })
        process.stderr.write(`Linked ${name} to ${app} as ${key}; pending until the next deploy of ${app}.\n`)
      }),
    )

  db.command('unlink')
    .argument('<name>', 'database name')
    .argument('<app>', 'app name')
    .description("Remove the database's connection URL from the app's env (pending until the next deploy)")
    .action((name: string, app: string) =>
      withApi(async (api) => {
        await api.call('databases:unlink', { name, app })
        process.stderr.write(`Unlinked ${name} from ${app}; pending until the next deploy of ${app}.\n`)
      }),
    )

  db.command('tunnel')
    .argument('<name>', 'database name')
    .description(
      "A local port on 127.0.0.1 to the database, through the server's SSH connection; prints the local " +
        'connection URL (with the password) first, and stays open until interrupted (Ctrl-C)',
    )
    .option('--port <n>', 'the local port (default: a free one)', parsePort)
    .option('--json', 'print {"url": …} as the first line')
    .action((name: string, options: OutputOptions & { port?: number }) =>
      withApi((api) =>
        follow(
          api,
          'databases:tunnel',
          { name, port: options.port },
          (event) => {
            if (event.type === 'listening') {
              process.stdout.write(
                options.json ? `${JSON.stringify({ url: event.url })}\n` : `${event.url}\n`,
              )
              process.stderr.write(`Tunnel to ${name} open on 127.0.0.1:${event.port}; Ctrl-C closes it.\n`)
            } else process.stderr.write(`${event.open} connection(s) open\n`)
          },
          { stopOn: ['SIGINT', 'SIGTERM'] },
        ),
      ),
    )

  db.command('shell')
    .argument('<name>', 'database name')
    .description(
      "Open the engine's own client (psql, mariadb, redis-cli, mongosh) inside the database's container",
    )
    .action((name: string) =>
      withApi(async (api) => {
        const code = await runTerminal(api, { kind: 'database', name })
        process.exitCode = code ?? 1
      }),
    )
}

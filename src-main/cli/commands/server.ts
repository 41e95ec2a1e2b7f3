import type { Command } from 'commander'
import { output, table, withCore, type OutputOptions } from '../context'

export function serverCommands(program: Command): void {
  const server = program.command('server').description('Servers Helvetia deploys to')

  server
    .command('list')
    .description('List the servers')
    .option('--json', 'print JSON')
    .action((options: OutputOptions) =>
      withCore(async (core) => {
        output(options, core.servers.list(), (servers) =>
          servers.length === 0
            ? 'No servers yet. Add one with `helvetia server add NAME --host HOST`.'
            : table([
                ['NAME', 'ADDRESS', 'AUTH', 'HOST KEY'],
                ...servers.map((s) => [
                  s.name,
                  `${s.user}@${s.host}:${s.port}`,
                  s.auth,
                  s.hostKeyFingerprint ?? '-',
                ]),
              ]),
        )
      }),
    )

  server
    .command('remove')
    .argument('<name>', 'server name')
    .description('Forget a server and delete its keys from the keychain (nothing on the server changes)')
    .action((name: string) =>
      withCore(async (core) => {
        await core.servers.remove(name)
        process.stderr.write(`Removed ${name}.\n`)
      }),
    )
}

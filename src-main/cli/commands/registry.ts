import type { Command } from 'commander'
import { output, table, withApi, type OutputOptions } from '../context'
import { readSecret } from '../prompt'

/** `registry add|list|remove`: the logins image apps pull private images with. */
export function registryCommands(program: Command): void {
  const registry = program
    .command('registry')
    .description('Private registries image apps pull from (the password stays in the OS keychain)')

  registry
    .command('add')
    .argument('<host>', 'the registry as image references name it: ghcr.io, registry.example.com:5000')
    .description(
      'Add (or replace) a login; the password or token is read from standard input (or asked for, hidden, on a terminal) and kept in the OS keychain',
    )
    .requiredOption('--username <user>', 'the registry user name')
    .action((host: string, options: { username: string }) =>
      withApi(async (api) => {
        const password = await readSecret('Password or token: ')
        const added = await api.call('registries:add', { host, username: options.username, password })
        process.stderr.write(`Added a login for ${added.host} (user ${added.username}).\n`)
      }),
    )

  registry
    .command('list')
    .description('List the registries this computer holds a login for')
    .option('--json', 'print JSON')
    .action((options: OutputOptions) =>
      withApi(async (api) =>
        output(options, await api.call('registries:list', undefined), (logins) =>
          logins.length === 0
            ? 'No registry logins.'
            : table([['HOST', 'USERNAME', 'ADDED'], ...logins.map((l) => [l.host, l.username, l.addedAt])]),
        ),
      ),
    )

  registry
    .command('remove')
    .argument('<host>', 'the registry')
    .description('Forget the login: its password leaves the keychain')
    .action((host: string) =>
      withApi(async (api) => {
        await api.call('registries:remove', { host })
        process.stderr.write(`Removed the login for ${host}.\n`)
      }),
    )
}

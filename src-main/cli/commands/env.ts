import type { Command } from 'commander'
import { UserError } from '../../core/errors'
import { output, table, withApi, type OutputOptions } from '../context'
import { ask, interactive, readSecret, readStdin } from '../prompt'

/** `env set`, `env list` and `env unset`: an app's environment variables and secrets. */
export function envCommands(program: Command): void {
  const env = program.command('env').description("An app's environment variables and secrets")

  env
    .command('set')
    .argument('<name>', 'app name')
    .argument(
      '[assignments...]',
      'KEY=VALUE, or KEY alone to be asked for its value (a secret without echo) on a terminal',
    )
    .description(
      'Set variables (pending until the next deploy); --secret keeps the values in the OS keychain. ' +
        'A secret on the command line shows in `ps` and shell history: use --stdin or let it ask',
    )
    .option('--secret', 'the values are secrets')
    .option('--stdin', 'read the variables from standard input, one KEY=VALUE a line')
    .action((name: string, assignments: string[], options: { secret?: boolean; stdin?: boolean }) =>
      withApi(async (api) => {
        const secret = options.secret ?? false
        const vars = await envAssignments(assignments, { secret, stdin: options.stdin ?? false })
        await api.call('env:set', { name, vars, secret })
        process.stderr.write(`Set ${vars.length} variable(s) of ${name}; pending until the next deploy.\n`)
      }),
    )

  env
    .command('list')
    .argument('<name>', 'app name')
    .description('List the variables, secrets masked')
    .option('--json', 'print JSON')
    .action((name: string, options: OutputOptions) =>
      withApi(async (api) =>
        output(options, await api.call('env:list', { name }), ({ vars, pending }) =>
          [
            vars.length === 0
              ? 'No variables.'
              : table([['KEY', 'VALUE', ''], ...vars.map((v) => [v.key, v.value, v.secret ? 'secret' : ''])]),
            pending ? 'Changed: pending until the next deploy.' : '',
          ]
            .filter(Boolean)
            .join('\n'),
        ),
      ),
    )

  env
    .command('unset')
    .argument('<name>', 'app name')
    .argument('<keys...>', 'variable names')
    .description('Remove variables (pending until the next deploy)')
    .action((name: string, keys: string[]) =>
      withApi(async (api) => {
        await api.call('env:unset', { name, keys })
        process.stderr.write(`Unset ${keys.join(', ')} of ${name}; pending until the next deploy.\n`)
      }),
    )
}

/** `KEY=VALUE`, split at the first `=`. */
function parseAssignment(text: string): { key: string; value: string } {
  const at = text.indexOf('=')
  if (at < 1) {
    throw new UserError(
      'INVALID_OPTION',
      `Expected KEY=VALUE, got ${JSON.stringify(text.split('=')[0])}.`,
      'Write each variable as KEY=VALUE.',
    )
  }
  return { key: text.slice(0, at), value: text.slice(at + 1) }
}

/**
 * The variables `env set` was given: KEY=VALUE arguments, KEY alone asked for on the terminal (a
 * secret without echo), and with --stdin one KEY=VALUE a line of standard input (empty lines skipped).
 */
async function envAssignments(
  args: string[],
  options: { secret: boolean; stdin: boolean },
): Promise<{ key: string; value: string }[]> {
  const given = [...args]
  if (options.stdin) given.push(...(await readStdin()).split(/\r?\n/).filter((line) => line !== ''))
  if (given.length === 0) {
    throw new UserError(
      'INVALID_OPTION',
      'No variables given.',
      'Write KEY=VALUE, KEY alone to be asked for its value, or pass them with --stdin, one KEY=VALUE a line.',
    )
  }
  const vars: { key: string; value: string }[] = []
  for (const text of given) {
    if (text.includes('=') || options.stdin) {
      vars.push(parseAssignment(text))
      continue
    }
    if (!interactive()) {
      throw new UserError(
        'VALUE_NEEDED',
        `No value for ${text}, and no terminal to ask for it on.`,
        `Pass the values on standard input with --stdin, one KEY=VALUE a line (e.g. \`printf '${text}=%s\\n' "$VALUE" | helvetia env set APP --stdin${options.secret ? ' --secret' : ''}\`).`,
      )
    }
    const value = options.secret
      ? await readSecret(`Value of ${text} (not shown): `)
      : await ask(`Value of ${text}: `)
    vars.push({ key: text, value })
  }
  return vars
}

import type { Command } from 'commander'
import { output, table, withApi, type OutputOptions } from '../context'

export function githubCommands(program: Command): void {
  const command = program.command('github').description('The GitHub connection: sign-in and repositories')

  command
    .command('login')
    .description(
      'Sign in with GitHub (device flow): enter the printed code on GitHub, the token goes to the keychain',
    )
    .option('--json', 'print the account as JSON')
    .action((options: OutputOptions) =>
      withApi(async (api) => {
        let account: { login: string; name: string | null; scopes: string[] } | undefined
        const subscription = api.subscribe('github:sign-in', undefined, (event) => {
          if (event.type === 'signed-in')
            account = { login: event.login, name: event.name, scopes: event.scopes }
          // Instructions go to stderr, so --json output stays clean.
          else
            process.stderr.write(
              `Open ${event.verificationUri} and enter the code ${event.userCode}\n` +
                `(it expires in ${Math.round((Date.parse(event.expiresAt) - Date.now()) / 60_000)} minutes). Waiting for GitHub…\n`,
            )
        })
        const cancel = (): void => subscription.cancel()
        process.once('SIGINT', cancel)
        try {
          await subscription.done
        } finally {
          process.off('SIGINT', cancel)
        }
        if (!account) throw new Error('Sign-in cancelled.')
        output(options, account, (u) => `Signed in to GitHub as ${u.login}.`)
      }),
    )

  command
    .command('logout')
    .description('Forget the GitHub token (removes it from the keychain)')
    .action(() =>
      withApi(async (api) => {
        const { signedOut, revokeUrl } = await api.call('github:sign-out')
        process.stdout.write(
          signedOut
            ? `Signed out of GitHub. To revoke Helvetia's access on GitHub too, visit ${revokeUrl}\n`
            : 'Not signed in to GitHub.\n',
        )
      }),
    )

  command
    .command('repos')
    .description('List the repositories you can connect (those you have admin access to), last pushed first')
    .option('--json', 'print JSON')
    .action((options: OutputOptions) =>
      withApi(async (api) =>
        output(options, await api.call('github:repos'), (list) =>
          list.length === 0
            ? 'No repositories with admin access on this GitHub account.'
            : table([
                ['REPOSITORY', 'VISIBILITY', 'BRANCH', 'PUSHED'],
                ...list.map((r) => [
                  r.fullName,
                  r.private ? 'private' : 'public',
                  r.defaultBranch,
                  r.pushedAt ?? '-',
                ]),
              ]),
        ),
      ),
    )
}

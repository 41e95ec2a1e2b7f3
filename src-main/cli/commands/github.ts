import type { Command } from 'commander'
import { createGitHub } from '../../core/github/github'
import { createKeytarVault } from '../../core/vault/vault'
import { output, table, type OutputOptions } from '../context'

/** Only the keychain is needed here: no data folder is opened. */
const github = () => createGitHub({ vault: createKeytarVault() })

export function githubCommands(program: Command): void {
  const command = program.command('github').description('The GitHub connection: sign-in and repositories')

  command
    .command('login')
    .description(
      'Sign in with GitHub (device flow): enter the printed code on GitHub, the token goes to the keychain',
    )
    .option('--json', 'print the account as JSON')
    .action(async (options: OutputOptions) => {
      const abort = new AbortController()
      const cancel = (): void => abort.abort(new Error('Sign-in cancelled.'))
      process.once('SIGINT', cancel)
      try {
        const user = await github().signIn({
          // Instructions go to stderr, so --json output stays clean.
          onCode: (code) =>
            process.stderr.write(
              `Open ${code.verificationUri} and enter the code ${code.userCode}\n` +
                `(it expires in ${Math.round(code.expiresIn / 60)} minutes). Waiting for GitHub…\n`,
            ),
          signal: abort.signal,
        })
        output(options, user, (u) => `Signed in to GitHub as ${u.login}.`)
      } finally {
        process.off('SIGINT', cancel)
      }
    })

  command
    .command('logout')
    .description('Forget the GitHub token (removes it from the keychain)')
    .action(async () => {
      const gh = github()
      const removed = await gh.signOut()
      process.stdout.write(
        removed
          ? `Signed out of GitHub. To revoke Helvetia's access on GitHub too, visit ${gh.revokeUrl}\n`
          : 'Not signed in to GitHub.\n',
      )
    })

  command
    .command('repos')
    .description('List the repositories you can connect (those you have admin access to), last pushed first')
    .option('--json', 'print JSON')
    .action(async (options: OutputOptions) => {
      const repos = await github().listAdminRepos()
      output(options, repos, (list) =>
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
      )
    })
}

import type { Command } from 'commander'
import { readFile } from 'node:fs/promises'
import type { DeliveryRecord, PushConnection, WatchActivity } from '../../api/contract'
import { UserError } from '../../core/errors'
import { follow, output, table, withApi, type OutputOptions } from '../context'
import { readStdinLine } from '../prompt'

interface TokenOptions {
  relayTokenFile?: string
  relayTokenStdin?: boolean
}

const tokenOptions = (command: Command): Command =>
  command
    .option(
      '--relay-token-file <file>',
      'the relay token, from a file (default: the one kept in the keychain)',
    )
    .option('--relay-token-stdin', 'read the relay token from stdin')

/** The token given on the command line, or undefined to use the one kept for the relay. */
async function relayToken(options: TokenOptions): Promise<string | undefined> {
  const token = options.relayTokenFile
    ? await readFile(options.relayTokenFile, 'utf8').catch((error: Error) => {
        throw new UserError(
          'INVALID_OPTION',
          `Cannot read ${options.relayTokenFile}: ${error.message}`,
          'Check the path.',
        )
      })
    : options.relayTokenStdin
      ? await readStdinLine()
      : undefined
  if (token !== undefined && !token.trim()) {
    throw new UserError(
      'INVALID_OPTION',
      'The relay token is empty.',
      'Pass the token `helvetia relay serve` printed.',
    )
  }
  return token?.trim()
}

function describeActivity(activity: WatchActivity): { out?: string; err?: string } {
  switch (activity.type) {
    case 'connected':
      return { err: 'Connected to the relay; waiting for pushes (Ctrl+C stops).' }
    case 'disconnected':
      return {
        err: `Lost the relay (${activity.error}); trying again in ${Math.ceil(activity.retryInMs / 1000)} s.`,
      }
    case 'not-ours':
      return {}
    case 'delivery':
      return { out: `${activity.app}: ${activity.status}${activity.detail ? ` (${activity.detail})` : ''}` }
  }
}

/** What to do next: paste the webhook into GitHub, unless Helvetia added it there itself. */
function describeConnection(name: string, hook: PushConnection): string {
  const onGitHub =
    hook.secret === null
      ? [
          `${hook.github && 'created' in hook.github && hook.github.created ? 'Added' : 'Updated'} the webhook in the GitHub repository (GitHub holds the secret): nothing to paste.`,
        ]
      : [
          'Add a webhook in the GitHub repository (Settings → Webhooks → Add webhook):',
          '',
          table([
            ['  Payload URL', hook.url],
            ['  Content type', 'application/json'],
            ['  Secret', hook.secret],
            ['  Events', 'Just the push event'],
          ]),
          '',
        ]
  return [
    `${name} is registered with the relay; pushes to ${hook.branch} will deploy it.`,
    ...onGitHub,
    hook.serverSide
      ? `The relay runs on ${name}'s server, which deploys each push itself: nothing needs to stay open.`
      : `Then keep the desktop app open, or run \`helvetia watch --relay ${hook.relay}\`.`,
  ].join('\n')
}

function formatDeliveries(deliveries: DeliveryRecord[]): string {
  if (deliveries.length === 0) return 'No deliveries yet.'
  return table([
    ['TIME', 'STATUS', 'EVENT', 'DELIVERY', 'DETAIL'],
    ...deliveries.map((d) => [d.at, d.status, d.event ?? '-', d.delivery ?? '-', d.detail ?? '']),
  ])
}

/** `app connect-webhook`, `watch` and `deliveries`: push to deploy through a relay. */
export function pushCommands(program: Command): void {
  const app = program.commands.find((command) => command.name() === 'app')
  if (!app) throw new Error('pushCommands must be registered after the app command')

  tokenOptions(
    app
      .command('connect-webhook')
      .argument('<name>', 'app name')
      .description(
        'Register the app with a relay; signed in to GitHub, add the webhook to its repository there, ' +
          'else print the webhook URL and secret to add to it',
      )
      .requiredOption('--relay <url>', 'the relay, like https://relay.example.com')
      .option(
        '--branch <branch>',
        "the branch whose pushes deploy (default: the app's git branch, else main)",
      )
      .option('--json', 'print {"url", "secret"} as JSON (secret null: the webhook was added on GitHub)'),
  ).action(
    async (name: string, options: TokenOptions & OutputOptions & { relay: string; branch?: string }) => {
      const token = await relayToken(options)
      await withApi(async (api) => {
        const hook = await api.call('push:connect', {
          name,
          relay: options.relay,
          token,
          branch: options.branch,
        })
        if (hook.github && 'error' in hook.github) {
          process.stderr.write(`Warning: the webhook could not be added on GitHub (${hook.github.error}).\n`)
        }
        output(options, { url: hook.url, secret: hook.secret }, () => describeConnection(name, hook))
      })
    },
  )

  tokenOptions(
    program
      .command('watch')
      .description(
        "Deploy on push: follow the relay, deploy pushes to each connected app's branch (Ctrl+C stops)",
      )
      .option('--relay <url>', 'the relay (default: the one the apps are connected to)')
      .option('--json', 'print one JSON line per delivery handled'),
  ).action(async (options: TokenOptions & OutputOptions & { relay?: string }) => {
    const token = await relayToken(options)
    const report = (activity: WatchActivity): void => {
      if (options.json) {
        if (activity.type === 'delivery') process.stdout.write(`${JSON.stringify(activity)}\n`)
        return
      }
      const { out, err } = describeActivity(activity)
      if (out) process.stdout.write(`${out}\n`)
      if (err) process.stderr.write(`${err}\n`)
    }
    // Open until stopped, so it reads what runs on a server again on each (re)connection.
    await withApi(
      (api) =>
        follow(api, 'push:watch', { relay: options.relay, token }, report, { stopOn: ['SIGINT', 'SIGTERM'] }),
      {},
    )
  })

  program
    .command('deliveries')
    .argument('<name>', 'app name')
    .description("What happened to each push to the app's webhook, oldest first")
    .option('--json', 'print JSON')
    .action((name: string, options: OutputOptions) =>
      withApi(async (api) => output(options, await api.call('push:deliveries', { name }), formatDeliveries)),
    )
}

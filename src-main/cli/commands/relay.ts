import type { Command } from 'commander'
import { join } from 'node:path'
import { describeRelay, startRelay } from '../../../relay/relay-server.js'
import type { RelayInstallProgress } from '../../api/contract'
import { resolveHome } from '../../core/home'
import { outcome, output, table, withApi, type OutputOptions } from '../context'
import { parsePort } from '../parse'
import { printDeployEvent } from './deploy'

interface ServeOptions {
  host: string
  port: number
  data?: string
  tokenFile?: string
  publicUrl?: string
  json?: boolean
}

export function relayCommand(program: Command): void {
  const relay = program.command('relay').description('The webhook relay that makes push-to-deploy work')

  relay
    .command('serve')
    .description(
      'Receive GitHub webhooks, keep them on disk and forward them to `helvetia watch` and the desktop app',
    )
    .option(
      '--host <addr>',
      'address to bind; GitHub must reach it (directly or through a proxy)',
      '127.0.0.1',
    )
    .option('--port <n>', 'port to listen on', parsePort, 8787)
    .option('--data <dir>', 'where events, hooks and the token are kept (default: <Helvetia data>/relay)')
    .option('--token-file <file>', 'read the relay token from this file instead of generating one')
    .option('--public-url <url>', 'the address GitHub posts to, when a proxy stands in front (https://…)')
    .option('--json', 'print the address (and a newly generated token) as JSON')
    .action(async (options: ServeOptions) => {
      const server = await startRelay({
        host: options.host,
        port: options.port,
        dataDir: options.data ?? join(resolveHome(), 'relay'),
        tokenFile: options.tokenFile,
        publicUrl: options.publicUrl,
        log: (line) => process.stderr.write(`${line}\n`),
      })
      process.stdout.write(
        options.json
          ? `${JSON.stringify({ url: server.url, token: server.tokenCreated ? server.token : null })}\n`
          : `${describeRelay(server, { publicUrl: options.publicUrl, tokenFile: options.tokenFile ?? join(server.dataDir, 'token') })}\n`,
      )
      const stop = (): void => void server.close().then(() => process.exit(0))
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })

  relay
    .command('install')
    .argument('<server>', 'server name (provisioned: its proxy routes the relay)')
    .description(
      "Run the relay on one of your servers, behind its proxy with HTTPS; that server's apps then deploy on push by themselves",
    )
    .option(
      '--domain <domain>',
      "the relay's domain (default relay.<server IP>.sslip.io; http://host for plain HTTP)",
    )
    .option('--base-image <image>', 'the Node image the relay is built from (default node:22-alpine)')
    .option('--json', 'print the outcome as JSON (progress still goes to stderr)')
    .action((server: string, options: OutputOptions & { domain?: string; baseImage?: string }) =>
      withApi(async (api) => {
        const input = { server, domain: options.domain, baseImage: options.baseImage }
        const { relay: installed } = await outcome(api, 'push:install-relay', input, isInstalled, (event) => {
          // Its steps and log, as a deploy's; it records no deployment.
          if (event.type !== 'started') printDeployEvent(event)
        })
        output(options, installed, (r) =>
          [
            `The relay runs on ${r.server} at ${r.url}.`,
            table([
              ['  Container', r.container],
              [
                '  Push agent',
                r.agentStartsAtBoot
                  ? 'running; starts at boot (crontab @reboot)'
                  : 'running; the server has no crontab, so after a reboot run `helvetia relay install` again',
              ],
            ]),
            '',
            `Connect an app: \`helvetia app connect-webhook NAME --relay ${r.url}\`. Apps on ${r.server} then`,
            'deploy on push with no desktop running; others through `helvetia watch` (which reaches the relay over SSH).',
          ].join('\n'),
        )
      }),
    )
}

const isInstalled = (
  event: RelayInstallProgress,
): event is Extract<RelayInstallProgress, { type: 'installed' }> => event.type === 'installed'

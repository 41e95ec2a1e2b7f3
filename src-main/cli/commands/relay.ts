import type { Command } from 'commander'
import { join } from 'node:path'
import { describeRelay, startRelay } from '../../../relay/relay-server.js'
import { resolveHome } from '../../core/home'
import { parsePort } from '../parse'

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
          : `${describeRelay(server)}\n`,
      )
      const stop = (): void => void server.close().then(() => process.exit(0))
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
}

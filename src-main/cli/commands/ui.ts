import { Option, type Command } from 'commander'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createSecureContext } from 'node:tls'
import { UserError } from '../../core/errors'
import { assertSafeBind } from '../../web/web-access'
import { startWebServer, type WebServerOptions } from '../../web/web-server'
import { APP_ROOT, openCore } from '../context'
import { parsePort } from '../parse'

const RENDERER = join(APP_ROOT, 'out', 'renderer')

interface UiOptions {
  port?: number
  host: string
  tlsCert?: string
  tlsKey?: string
  insecure?: boolean
  json?: boolean
}

export function uiCommand(program: Command): void {
  program
    .command('ui')
    .description(
      'Serve the dashboard to a browser (headless mode), on 127.0.0.1 unless --host says otherwise',
    )
    .option('--port <n>', 'port to listen on (default: any free port)', parsePort)
    .option(
      '--host <addr>',
      'address to bind; anything but loopback exposes the dashboard to that network, and needs TLS',
      '127.0.0.1',
    )
    .option('--tls-cert <file>', 'serve over HTTPS with this certificate (PEM)')
    .option('--tls-key <file>', 'the private key of --tls-cert (PEM)')
    .addOption(
      new Option(
        '--insecure',
        'allow plain HTTP on a non-loopback --host: the token crosses that network in clear (the page says so)',
      ).conflicts('tlsCert'),
    )
    .option('--json', 'print the address as JSON')
    .action(async (options: UiOptions) => {
      if (!existsSync(`${RENDERER}/index.html`)) {
        throw new UserError('RENDERER_NOT_BUILT', 'The dashboard is not built.', 'Run `npm run build` first.')
      }
      const tls = await readTls(options)
      const insecure = options.insecure === true
      // Refused before anything opens: no core, no keychain, no port.
      assertSafeBind(options.host, { tls: tls !== undefined, insecure })
      const core = openCore('web')
      core.startBackground()
      const server = await startWebServer({
        api: core.api,
        root: RENDERER,
        host: options.host,
        port: options.port,
        tls,
        insecure,
      })
      if (options.json)
        process.stdout.write(`${JSON.stringify({ url: server.openUrl, token: server.token })}\n`)
      else
        process.stdout.write(
          `Helvetia is serving the dashboard at\n\n  ${server.openUrl}\n\n` +
            (insecure ? 'Without TLS (--insecure): anyone on that network can read the token.\n' : '') +
            'Press Ctrl+C to stop.\n',
        )
      const stop = (): void => {
        void server.close().then(() => {
          core.close()
          process.exit(0)
        })
      }
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
}

/** The certificate and key, both or neither, read and checked to be a PEM pair that belongs together. */
async function readTls(options: UiOptions): Promise<WebServerOptions['tls']> {
  if (options.tlsCert === undefined && options.tlsKey === undefined) return undefined
  if (options.tlsCert === undefined || options.tlsKey === undefined) {
    throw new UserError(
      'INVALID_OPTION',
      'HTTPS needs both a certificate and its key.',
      'Give --tls-cert FILE and --tls-key FILE together.',
    )
  }
  const read = (path: string, what: string) =>
    readFile(path).catch((error: NodeJS.ErrnoException) => {
      throw new UserError(
        'TLS_UNREADABLE',
        `Cannot read the ${what} ${path}: ${error.code ?? error.message}.`,
        'Check the path and its permissions.',
      )
    })
  const cert = await read(options.tlsCert, 'certificate')
  const key = await read(options.tlsKey, 'key')
  try {
    createSecureContext({ cert, key })
  } catch (error) {
    throw new UserError(
      'TLS_INVALID',
      `${options.tlsCert} and ${options.tlsKey} are not a certificate and its key: ${(error as Error).message}.`,
      'Give the PEM certificate with --tls-cert and its unencrypted PEM private key with --tls-key.',
    )
  }
  return { cert, key }
}

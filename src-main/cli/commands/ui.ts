import type { Command } from 'commander'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { UserError } from '../../core/errors'
import { startWebServer } from '../../web/web-server'
import { APP_ROOT, openCore } from '../context'
import { parsePort } from '../parse'

const RENDERER = join(APP_ROOT, 'out', 'renderer')

export function uiCommand(program: Command): void {
  program
    .command('ui')
    .description(
      'Serve the dashboard to a browser (headless mode), on 127.0.0.1 unless --host says otherwise',
    )
    .option('--port <n>', 'port to listen on (default: any free port)', parsePort)
    .option(
      '--host <addr>',
      'address to bind; anything but loopback exposes the dashboard to that network',
      '127.0.0.1',
    )
    .option('--json', 'print the address as JSON')
    .action(async (options: { port?: number; host: string; json?: boolean }) => {
      if (!existsSync(`${RENDERER}/index.html`)) {
        throw new UserError('RENDERER_NOT_BUILT', 'The dashboard is not built.', 'Run `npm run build` first.')
      }
      const core = openCore('web')
      core.startBackground()
      const server = await startWebServer({
        api: core.api,
        root: RENDERER,
        host: options.host,
        port: options.port,
      })
      if (options.json)
        process.stdout.write(`${JSON.stringify({ url: server.openUrl, token: server.token })}\n`)
      else
        process.stdout.write(
          `Helvetia is serving the dashboard at\n\n  ${server.openUrl}\n\nPress Ctrl+C to stop.\n`,
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

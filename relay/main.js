#!/usr/bin/env node
// @ts-check
// The relay on its own, with nothing but Node (a container runs `node main.js serve --host 0.0.0.0
// --data /data`). `helvetia relay serve` starts the same server from the Helvetia CLI. The token comes
// from --token-file, else HELVETIA_RELAY_TOKEN (a container's env file), else is generated.
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { describeRelay, startRelay } from './relay-server.js'

const USAGE =
  'usage: node main.js serve [--host ADDR] [--port N] [--data DIR] [--token-file F] [--public-url URL] [--spool DIR]'

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '8787' },
    data: { type: 'string', default: 'relay-data' },
    'token-file': { type: 'string' },
    'public-url': { type: 'string' },
    spool: { type: 'string' },
  },
})
const port = Number(values.port)
if (
  positionals[0] !== 'serve' ||
  positionals.length !== 1 ||
  !Number.isInteger(port) ||
  port < 0 ||
  port > 65535
) {
  process.stderr.write(`${USAGE}\n`)
  process.exit(2)
}
const relay = await startRelay({
  host: values.host,
  port,
  dataDir: values.data,
  tokenFile: values['token-file'],
  token: values['token-file'] ? undefined : process.env.HELVETIA_RELAY_TOKEN || undefined,
  publicUrl: values['public-url'],
  spoolDir: values.spool,
  log: (line) => process.stderr.write(`${line}\n`),
})
// The token is in a file unless it came from the environment (then the data folder holds none).
const tokenFile =
  values['token-file'] ?? (process.env.HELVETIA_RELAY_TOKEN ? undefined : join(relay.dataDir, 'token'))
process.stdout.write(`${describeRelay(relay, { publicUrl: values['public-url'], tokenFile })}\n`)
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.once(signal, () => void relay.close().then(() => process.exit(0)))
}

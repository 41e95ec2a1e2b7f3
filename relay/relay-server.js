// @ts-check
// The relay's HTTP face. GitHub posts to /hooks/<hookId> (relay/webhook-receive.js); Helvetia (the
// desktop app, `helvetia watch`) registers apps, follows the event stream (relay/event-stream.js),
// acknowledges and reports under /v1 with the relay token.
import { createServer } from 'node:http'
import { resolve } from 'node:path'
import { eventStreams } from './event-stream.js'
import { answerFailure, authorized, digest, HttpError, readJson, send } from './http-io.js'
import { openRelayStore } from './relay-store.js'
import { APP_NAME, BRANCH } from './rules.js'
import { startSpool } from './spool.js'
import { webhookReceiver } from './webhook-receive.js'

export { MAX_BODY_BYTES, MAX_UNVERIFIED_BYTES } from './webhook-receive.js'

/** Statuses a subscriber may report on an accepted delivery. */
const REPORTED = new Set([
  'ignored-event',
  'ignored-branch',
  'refused-signature',
  'refused-commit',
  'deploy-started',
  'deployed',
  'failed',
])
const HOOK_PATH = /^\/hooks\/([\w-]{16,64})$/
const DELIVERIES_PATH = /^\/v1\/apps\/([^/]+)\/deliveries$/
const STATUS_PATH = /^\/v1\/deliveries\/([^/]+)\/status$/

/**
 * @typedef {object} RelayOptions
 * @property {string} dataDir
 * @property {string} [host] default 127.0.0.1
 * @property {number} [port] default any free port
 * @property {string} [tokenFile] read the token from here instead of generating one into dataDir
 * @property {string} [token] the token itself (a container gets it from its environment)
 * @property {string} [spoolDir] where pushes of server-side apps go for the host's agent (relay/spool.js)
 * @property {string} [publicUrl] the address GitHub reaches (default: http:// and the Host of the request)
 * @property {number} [heartbeatMs] a heartbeat line on idle event streams this often (default 15 s)
 * @property {(line: string) => void} [log]
 */

/**
 * Opens the data folder and listens.
 * @param {RelayOptions} options
 */
export async function startRelay(options) {
  const { host = '127.0.0.1', port = 0, heartbeatMs = 15_000, log = () => {} } = options
  const store = await openRelayStore(options.dataDir, {
    tokenFile: options.tokenFile,
    token: options.token,
    log,
  })
  const spool = options.spoolDir ? await startSpool({ store, dir: options.spoolDir, log }) : null
  const receive = webhookReceiver({ store, log })
  const streams = eventStreams({ store, spool, heartbeatMs })
  const tokenDigest = digest(store.token)

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   */
  const route = async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://relay')
    const path = url.pathname
    const hook = HOOK_PATH.exec(path)
    if (hook?.[1] && req.method === 'POST') return receive(req, res, hook[1])
    if (path === '/healthz' && req.method === 'GET') return send(res, 200, { ok: true })
    if (!path.startsWith('/v1/')) return send(res, 404, { error: 'not found' })
    if (!authorized(req.headers.authorization, tokenDigest)) {
      req.resume()
      return send(res, 401, { error: 'a valid relay token is required (Authorization: Bearer TOKEN)' })
    }
    if (path === '/v1/apps' && req.method === 'POST') return register(req, res)
    if (path === '/v1/events' && req.method === 'GET') return streams.stream(res, url)
    if (path === '/v1/ack' && req.method === 'POST') {
      const { seq } = await readJson(req)
      if (!Number.isSafeInteger(seq) || seq < 1) throw new HttpError(400, 'seq must be a positive integer')
      return send(res, 200, { acked: await store.ack(seq) })
    }
    const deliveries = DELIVERIES_PATH.exec(path)
    if (deliveries?.[1] && req.method === 'GET') {
      const app = decodeURIComponent(deliveries[1])
      return send(res, 200, { app, deliveries: store.deliveries(app) })
    }
    const status = STATUS_PATH.exec(path)
    if (status?.[1] && req.method === 'POST') {
      const body = await readJson(req)
      if (!REPORTED.has(body.status))
        throw new HttpError(400, `status must be one of ${[...REPORTED].join(', ')}`)
      const detail = typeof body.detail === 'string' ? body.detail.slice(0, 500) : undefined
      const known = await store.report(decodeURIComponent(status[1]), body.status, detail)
      return known ? send(res, 200, { ok: true }) : send(res, 404, { error: 'no such delivery' })
    }
    return send(res, 404, { error: 'not found' })
  }

  /**
   * Registers an app (its name by the same rule as everywhere else: relay/rules.js).
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   */
  const register = async (req, res) => {
    const { app, branch, serverSide = false } = await readJson(req)
    if (typeof app !== 'string' || !APP_NAME.test(app))
      throw new HttpError(400, 'app must be a DNS label of at most 40 characters, starting with a letter')
    if (
      branch !== undefined &&
      branch !== null &&
      (typeof branch !== 'string' || !BRANCH.test(branch) || branch.includes('..'))
    )
      throw new HttpError(400, 'branch is not a valid branch name')
    if (typeof serverSide !== 'boolean') throw new HttpError(400, 'serverSide must be true or false')
    if (serverSide && (!spool || !branch))
      throw new HttpError(400, 'server-side deploys need a relay with a spool folder and a branch')
    const hook = await store.register(app, branch ?? null, serverSide)
    const base = (options.publicUrl ?? `http://${req.headers.host}`).replace(/\/+$/, '')
    return send(res, 201, {
      app,
      branch: hook.branch,
      serverSide,
      hookId: hook.hookId,
      url: `${base}/hooks/${hook.hookId}`,
      secret: hook.secret,
    })
  }

  const server = createServer({ requestTimeout: 120_000 }, (req, res) => {
    route(req, res).catch((error) => answerFailure(res, error, log))
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve(undefined))
  })
  const address = /** @type {import('node:net').AddressInfo} */ (server.address())
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address

  return {
    /** Where it listens. */
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    token: store.token,
    tokenCreated: store.tokenCreated,
    dataDir: options.dataDir,
    /** Ends the event streams, stops listening and closes the data folder. */
    async close() {
      streams.endAll()
      await new Promise((resolve) => {
        server.close(resolve)
        server.closeAllConnections()
      })
      await spool?.close()
      await store.close()
    },
  }
}

/** @typedef {Awaited<ReturnType<typeof startRelay>>} Relay */

/** Single-quotes a word for a POSIX shell, so a printed command can be pasted as it is. */
const shellWord = (/** @type {string} */ word) => `'${word.replaceAll("'", `'\\''`)}'`

/**
 * What `serve` prints: where it listens, the token the one time it was generated, and the exact command
 * that connects an app to it, token file included (without the token, connect-webhook fails).
 * @param {Relay} relay
 * @param {{ publicUrl?: string, tokenFile?: string }} options tokenFile: where the token is kept, when in a
 *   file (given, or generated into the data folder); absent when it came from the environment.
 */
export function describeRelay(relay, { publicUrl, tokenFile } = {}) {
  const url = publicUrl?.replace(/\/+$/, '') ?? relay.url
  const file = tokenFile ? resolve(tokenFile) : undefined
  return [
    `Helvetia relay listening on ${relay.url} (data: ${relay.dataDir})`,
    `GitHub posts to ${url}/hooks/<id>.`,
    ...(relay.tokenCreated
      ? [`Relay token (shown this once; kept in ${file}, mode 0600):`, '', `  ${relay.token}`, '']
      : []),
    file
      ? 'Connect an app (on another computer, copy the token file there and give its path):'
      : 'Connect an app (write the token it was given to a file and give its path):',
    '',
    `  helvetia app connect-webhook NAME --relay ${shellWord(url)} --relay-token-file ${file ? shellWord(file) : 'FILE'}`,
    '',
    'Press Ctrl+C to stop.',
  ].join('\n')
}

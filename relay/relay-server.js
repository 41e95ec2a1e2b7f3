// @ts-check
// The relay's HTTP face. GitHub posts to /hooks/<hookId>; Helvetia (the desktop app, `helvetia watch`)
// registers apps, follows the event stream, acknowledges and reports under /v1 with the relay token.
// A webhook is answered as soon as the event is on disk: nothing else happens inline.
import { createHash, timingSafeEqual } from 'node:crypto'
import { createServer } from 'node:http'
import { resolve } from 'node:path'
import { openRelayStore } from './relay-store.js'
import { startSpool } from './spool.js'
import { webhookBodies } from './webhook-body.js'

/** GitHub caps webhook payloads at 25 MB; anything larger is refused unread. */
export const MAX_BODY_BYTES = 25 * 1024 * 1024
/**
 * Bodies whose signature is not checked yet, all requests together: room for two of GitHub's largest
 * beside each other; beyond it a webhook is answered 429 unread.
 */
export const MAX_UNVERIFIED_BYTES = 2 * MAX_BODY_BYTES
/** Seconds a webhook turned away for the budget above is told to wait. */
const BUSY_RETRY_AFTER = '10'
const MAX_API_BODY_BYTES = 64 * 1024

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
const APP_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/
const BRANCH = /^(?!.*\.\.)(?!\/)[\w./-]{1,200}$/
const HOOK_PATH = /^\/hooks\/([\w-]{16,64})$/
const DELIVERIES_PATH = /^\/v1\/apps\/([^/]+)\/deliveries$/
const STATUS_PATH = /^\/v1\/deliveries\/([^/]+)\/status$/
/** GitHub's delivery ids are GUIDs and its event names are words; anything else is logged as null. */
const HEADER_TOKEN = /^[\w.:-]{1,100}$/

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
  const bodies = webhookBodies({
    dir: store.incomingDir,
    maxBodyBytes: MAX_BODY_BYTES,
    maxUnverifiedBytes: MAX_UNVERIFIED_BYTES,
  })
  const spool = options.spoolDir ? await startSpool({ store, dir: options.spoolDir, log }) : null
  const tokenDigest = digest(store.token)
  /** @type {Set<() => void>} */
  const streams = new Set()

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
    if (path === '/v1/events' && req.method === 'GET') return stream(req, res, url)
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
   * A webhook: size, signature, de-duplication, then durably queued and answered. A 2xx means the event
   * is on disk (or was before); when it cannot be stored (the disk is full) the answer is a 5xx.
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {string} hookId
   */
  const receive = async (req, res, hookId) => {
    const hook = store.hookById(hookId)
    if (!hook) {
      req.resume()
      return send(res, 404, { error: 'no such hook' })
    }
    const delivery = headerToken(req.headers['x-github-delivery'])
    const event = headerToken(req.headers['x-github-event'])
    const intake = await bodies.receive(req, hook.secret).catch((error) => {
      req.resume()
      throw error
    })
    if (intake.status === 'too-large') {
      await refuse(hook, { delivery, event, status: 'refused-size', detail: 'over 25 MB' })
      // Discard the rest unread and close: the connection is not reused.
      req.resume()
      return send(res, 413, { error: 'payload over 25 MB' }, { connection: 'close' })
    }
    if (intake.status === 'busy') {
      log(`busy: turned away ${hook.app} ${delivery} (too many unverified bodies arriving)`)
      req.resume()
      return send(
        res,
        429,
        { error: 'too many webhook bodies arriving at once; try again later' },
        { 'retry-after': BUSY_RETRY_AFTER, connection: 'close' },
      )
    }
    /** @type {[number, unknown]} */
    let answer
    try {
      answer = await settle(req, hook, intake, delivery, event)
    } finally {
      await intake.discard()
    }
    return send(res, ...answer)
  }

  /**
   * What becomes of a body taken in whole: signature, then what the event is; the answer to give.
   * @param {import('node:http').IncomingMessage} req
   * @param {import('./relay-store.js').Hook} hook
   * @param {import('./webhook-body.js').Received} intake
   * @param {string | null} delivery
   * @param {string | null} event
   * @returns {Promise<[number, unknown]>}
   */
  const settle = async (req, hook, intake, delivery, event) => {
    const signature = req.headers['x-hub-signature-256']
    if (!intake.signed(signature)) {
      const detail = signature ? 'X-Hub-Signature-256 does not match' : 'no X-Hub-Signature-256'
      await refuse(hook, { delivery, event, status: 'refused-signature', detail })
      return [401, { error: detail }]
    }
    if (!delivery || !event) return [400, { error: 'X-GitHub-Delivery and X-GitHub-Event required' }]
    if (event === 'ping') {
      await store.record(hook, {
        delivery,
        event,
        status: 'received',
        detail: 'ping: GitHub reached the relay',
      })
      return [200, { ok: true }]
    }
    if (event !== 'push') {
      await store.record(hook, {
        delivery,
        event,
        status: 'ignored-event',
        detail: 'only push events deploy',
      })
      return [202, { ignored: true }]
    }
    const body = await intake.read()
    // Its room on disk is free again before the event takes some.
    await intake.discard()
    const result = await store.accept(hook, {
      delivery,
      event,
      signature: String(signature),
      contentType: String(req.headers['content-type'] ?? 'application/json'),
      body,
    })
    if ('duplicate' in result) {
      log(`duplicate ${hook.app} ${delivery}`)
      return [200, { duplicate: true }]
    }
    log(`accepted ${hook.app} ${delivery} as ${result.seq}`)
    return [202, { accepted: true }]
  }

  /**
   * Answers a refusal whatever becomes of its record: the record is logged, and when it cannot be
   * written (a full disk) that is logged instead.
   * @param {import('./relay-store.js').Hook} hook
   * @param {Parameters<typeof store.record>[1]} entry
   */
  const refuse = async (hook, entry) => {
    log(`refused ${hook.app} ${entry.delivery}: ${entry.detail}`)
    await store.record(hook, entry).catch((error) => log(`could not record that refusal: ${error}`))
  }

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   */
  const register = async (req, res) => {
    const { app, branch, serverSide = false } = await readJson(req)
    if (typeof app !== 'string' || !APP_NAME.test(app)) throw new HttpError(400, 'app must be a DNS label')
    if (branch !== undefined && branch !== null && (typeof branch !== 'string' || !BRANCH.test(branch)))
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

  /**
   * The event stream (NDJSON): every unacknowledged event after `?after=`, in order, then new ones as
   * they are accepted; a heartbeat line when idle. Written one event at a time, waiting for the
   * socket to drain, so a slow subscriber holds one event in memory, not the backlog.
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {URL} url
   */
  const stream = async (req, res, url) => {
    const after = Number(url.searchParams.get('after') ?? 0)
    if (!Number.isSafeInteger(after) || after < 0) throw new HttpError(400, 'after must be a whole number')
    res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' })
    res.write(`${JSON.stringify({ type: 'hello' })}\n`)
    let cursor = after
    let pumping = false
    let closed = false
    const drained = () =>
      new Promise((resolve) => {
        res.once('drain', resolve)
        res.once('close', resolve)
      })
    const pump = async () => {
      if (pumping) return
      pumping = true
      try {
        for (
          let seq = store.nextUnacked(cursor);
          seq !== undefined && !closed;
          seq = store.nextUnacked(cursor)
        ) {
          const event = await store.readEvent(seq)
          cursor = seq
          // A server-side app's event is the spool's, even before the spool acknowledges it.
          if (
            event &&
            !spool?.owns(event.hookId) &&
            !res.write(`${JSON.stringify({ type: 'event', ...event })}\n`)
          )
            await drained()
        }
      } finally {
        pumping = false
      }
    }
    const heartbeat = setInterval(() => res.write(`${JSON.stringify({ type: 'heartbeat' })}\n`), heartbeatMs)
    const unsubscribe = store.onEvent(() => void pump().catch(end))
    const end = () => {
      closed = true
      clearInterval(heartbeat)
      unsubscribe()
      streams.delete(end)
      res.end()
    }
    streams.add(end)
    res.once('close', end)
    await pump()
  }

  const server = createServer({ requestTimeout: 120_000 }, (req, res) => {
    route(req, res).catch((error) => {
      if (error instanceof HttpError) return send(res, error.status, { error: error.message })
      log(`error: ${error instanceof Error ? error.stack : error}`)
      if (res.headersSent) return res.destroy()
      // A full disk, for one: nothing was stored, and the sender is told why.
      const code = /** @type {NodeJS.ErrnoException} */ (error).code
      if (code) send(res, 503, { error: `the relay could not store it (${code})` }, { connection: 'close' })
      else send(res, 500, { error: 'internal error' })
    })
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
      for (const end of [...streams]) end()
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

class HttpError extends Error {
  /**
   * @param {number} status
   * @param {string} message
   */
  constructor(status, message) {
    super(message)
    this.status = status
  }
}

/** @param {string} text */
const digest = (text) => createHash('sha256').update(text).digest()

/**
 * Compares digests, so the comparison takes the same time whatever the length of the guess.
 * @param {string | undefined} header
 * @param {Buffer} expected
 */
function authorized(header, expected) {
  const token = /^Bearer (\S+)$/.exec(header ?? '')?.[1]
  return token !== undefined && timingSafeEqual(digest(token), expected)
}

/** @param {string | string[] | undefined} value */
function headerToken(value) {
  return typeof value === 'string' && HEADER_TOKEN.test(value) ? value : null
}

/**
 * The raw body, or null once it passes `max` (the rest is left unread).
 * @param {import('node:http').IncomingMessage} req
 * @param {number} max
 * @returns {Promise<Buffer | null>}
 */
function readBody(req, max) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = []
    let size = 0
    /** @param {Buffer} chunk */
    const onData = (chunk) => {
      size += chunk.length
      if (size <= max) return void chunks.push(chunk)
      req.off('data', onData)
      req.pause()
      resolve(null)
    }
    req.on('data', onData)
    req.once('end', () => resolve(Buffer.concat(chunks, size)))
    req.once('error', reject)
  })
}

/** @param {import('node:http').IncomingMessage} req */
async function readJson(req) {
  const body = await readBody(req, MAX_API_BODY_BYTES)
  if (!body) throw new HttpError(413, 'request body too large')
  try {
    const value = JSON.parse(body.toString('utf8') || '{}')
    if (value && typeof value === 'object') return value
  } catch {
    // answered below
  }
  throw new HttpError(400, 'the body must be a JSON object')
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers })
  res.end(`${JSON.stringify(body)}\n`)
}

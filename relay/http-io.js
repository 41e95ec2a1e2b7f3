// @ts-check
// What the relay's HTTP handlers share: JSON answers, bounded JSON bodies, the bearer token check and
// an error that carries its status.
import { createHash, timingSafeEqual } from 'node:crypto'

const MAX_API_BODY_BYTES = 64 * 1024

export class HttpError extends Error {
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
export const digest = (text) => createHash('sha256').update(text).digest()

/**
 * Compares digests, so the comparison takes the same time whatever the length of the guess.
 * @param {string | undefined} header
 * @param {Buffer} expected
 */
export function authorized(header, expected) {
  const token = /^Bearer (\S+)$/.exec(header ?? '')?.[1]
  return token !== undefined && timingSafeEqual(digest(token), expected)
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
export async function readJson(req) {
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
export function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers })
  res.end(`${JSON.stringify(body)}\n`)
}

/**
 * Answers a request whose handler threw: its own status for an HttpError, 503 when something could not
 * be stored (a full disk, for one: nothing was stored, and the sender is told why), else 500.
 * @param {import('node:http').ServerResponse} res
 * @param {unknown} error
 * @param {(line: string) => void} log
 */
export function answerFailure(res, error, log) {
  if (error instanceof HttpError) return send(res, error.status, { error: error.message })
  log(`error: ${error instanceof Error ? error.stack : error}`)
  if (res.headersSent) return res.destroy()
  const code = /** @type {NodeJS.ErrnoException} */ (error).code
  if (code) send(res, 503, { error: `the relay could not store it (${code})` }, { connection: 'close' })
  else send(res, 500, { error: 'internal error' })
}

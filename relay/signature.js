// @ts-check
// GitHub's webhook signature (X-Hub-Signature-256). The relay checks it on receipt and the desktop checks
// it again on the raw body it is handed, so both import this one module.
import { createHmac, timingSafeEqual } from 'node:crypto'

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i

/**
 * The `X-Hub-Signature-256` value of a raw body: `sha256=` and the hex HMAC-SHA256 under the secret.
 * @param {string} secret
 * @param {Buffer | string} body
 */
export function signBody(secret, body) {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
}

/**
 * True when `header` is the signature of exactly these bytes under `secret`, compared in constant time.
 * @param {string} secret
 * @param {Buffer} body
 * @param {string | string[] | undefined | null} header
 */
export function verifySignature(secret, body, header) {
  return signatureCheck(secret).update(body).matches(header)
}

/**
 * The same check on a body that arrives in pieces: `update` with each, then `matches` once.
 * @param {string} secret
 */
export function signatureCheck(secret) {
  const hmac = createHmac('sha256', secret)
  const check = {
    /** @param {Buffer} chunk */
    update(chunk) {
      hmac.update(chunk)
      return check
    },
    /** @param {string | string[] | undefined | null} header */
    matches(header) {
      const expected = hmac.digest()
      const match = typeof header === 'string' ? SIGNATURE.exec(header) : null
      if (!match?.[1]) return false
      const given = Buffer.from(match[1], 'hex')
      return given.length === expected.length && timingSafeEqual(given, expected)
    },
  }
  return check
}

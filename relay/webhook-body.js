// @ts-check
// A webhook's body on its way in, before its signature is known to be GitHub's. It is written to a
// temporary file in the data folder while its HMAC is computed, so an unverified body never sits in
// memory, and every request counts against one budget of unverified bytes, so forged posts cannot
// fill the disk or tie up the relay either: beyond it a request is turned away (429) unread.
import { randomUUID } from 'node:crypto'
import { open, readFile, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { signatureCheck } from './signature.js'

/**
 * @typedef {{ status: 'received', signed: (header: string | string[] | undefined) => boolean,
 *   read: () => Promise<Buffer>, discard: () => Promise<void> }} Received
 * @typedef {{ status: 'too-large' } | { status: 'busy' } | Received} Intake
 */

/**
 * @param {{ dir: string, maxBodyBytes: number, maxUnverifiedBytes: number }} options
 */
export function webhookBodies({ dir, maxBodyBytes, maxUnverifiedBytes }) {
  let unverified = 0
  /** @param {number} bytes */
  const reserve = (bytes) => {
    if (unverified + bytes > maxUnverifiedBytes) return false
    unverified += bytes
    return true
  }

  /**
   * Takes in a request's body, signed with `secret`. Too large (over maxBodyBytes) and busy (over the
   * budget) leave the rest of the request unread; an error (the disk is full) is thrown. The caller
   * discards a received body once it is done with it.
   * @param {import('node:http').IncomingMessage} req
   * @param {string} secret
   * @returns {Promise<Intake>}
   */
  const receive = async (req, secret) => {
    const declared =
      req.headers['content-length'] === undefined ? null : Number(req.headers['content-length'])
    if (declared !== null && declared > maxBodyBytes) return { status: 'too-large' }
    // A declared length is reserved whole, so a request that would pass the budget waits for nothing.
    let reserved = declared ?? 0
    if (!reserve(reserved)) return { status: 'busy' }
    const path = join(dir, `${randomUUID()}.body`)
    const discard = () => unlink(path).catch(() => undefined)
    const check = signatureCheck(secret)
    try {
      const file = await open(path, 'wx', 0o600)
      try {
        const outcome = await pipeInto(
          req,
          file,
          (size) => {
            if (size > maxBodyBytes) return 'too-large'
            if (size > reserved && !reserve(size - reserved)) return 'busy'
            reserved = Math.max(reserved, size)
            return null
          },
          check,
        )
        if (outcome) {
          await discard()
          return { status: outcome }
        }
      } finally {
        await file.close()
      }
    } catch (error) {
      await discard()
      throw error
    } finally {
      unverified -= reserved
    }
    return {
      status: 'received',
      signed: (header) => check.matches(header),
      read: () => readFile(path),
      discard,
    }
  }
  return { receive }
}

/**
 * Writes the request's body into `file` piece by piece (reading the next piece once the last is
 * written), feeding each to `check`. `admit` sees the size so far and may stop it (the rest is left
 * unread).
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:fs/promises').FileHandle} file
 * @param {(size: number) => 'too-large' | 'busy' | null} admit
 * @param {ReturnType<typeof signatureCheck>} check
 * @returns {Promise<'too-large' | 'busy' | null>}
 */
function pipeInto(req, file, admit, check) {
  return new Promise((resolve, reject) => {
    let size = 0
    const stop = (/** @type {() => void} */ settle) => {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('close', onClose)
      req.pause()
      settle()
    }
    /** @param {Buffer} chunk */
    const onData = (chunk) => {
      size += chunk.length
      const refused = admit(size)
      if (refused) return stop(() => resolve(refused))
      check.update(chunk)
      req.pause()
      file.writeFile(chunk).then(
        () => req.resume(),
        (error) => stop(() => reject(error)),
      )
    }
    const onEnd = () => stop(() => resolve(null))
    const onClose = () =>
      stop(() => reject(new Error('the sender closed the connection before the body ended')))
    /** @param {Error} error */
    const onError = (error) => stop(() => reject(error))
    req.on('data', onData)
    req.once('end', onEnd)
    req.once('close', onClose)
    // Kept after the body: an error once it was taken in (the sender resets) changes nothing.
    req.on('error', onError)
  })
}

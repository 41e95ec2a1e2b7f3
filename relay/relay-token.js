// @ts-check
// The relay's admin/subscriber token: given (a file, the environment) or generated once into the data
// folder (0600).
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { orNull, writeDurably } from './durable.js'

/**
 * @param {string} dir
 * @param {{ tokenFile?: string, token?: string }} given
 */
export async function loadToken(dir, { tokenFile, token: given }) {
  if (given !== undefined) {
    if (given.trim().length < 32) throw new Error('the relay token must have at least 32 characters')
    return { token: given.trim(), tokenCreated: false }
  }
  if (tokenFile) {
    const token = (await readFile(tokenFile, 'utf8')).trim()
    if (token.length < 32) throw new Error(`${tokenFile} must hold a token of at least 32 characters`)
    return { token, tokenCreated: false }
  }
  const existing = await readFile(join(dir, 'token'), 'utf8').catch(orNull)
  if (existing !== null) return { token: existing.trim(), tokenCreated: false }
  const token = randomBytes(32).toString('hex')
  await writeDurably(dir, 'token', `${token}\n`, 0o600)
  return { token, tokenCreated: true }
}

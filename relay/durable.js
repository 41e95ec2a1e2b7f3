// @ts-check
// Files the relay writes durably: data, fsync, rename, fsync of the folder, before it answers.
import { open, readFile, rename, unlink } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * Replaces `dir/name` all at once: a crash or a failed write leaves the old or the new content, never a
 * part (and no temporary file behind when the write fails).
 * @param {string} dir
 * @param {string} name
 * @param {string | Buffer} data
 * @param {number} [mode]
 */
export async function writeDurably(dir, name, data, mode = 0o600) {
  const tmp = join(dir, `.tmp-${name}`)
  try {
    const file = await open(tmp, 'w', mode)
    try {
      await file.writeFile(data)
      await file.sync()
    } finally {
      await file.close()
    }
    await rename(tmp, join(dir, name))
  } catch (error) {
    // The write's error is the one to report.
    await unlink(tmp).catch(() => undefined)
    throw error
  }
  const folder = await open(dir, 'r')
  try {
    await folder.sync()
  } finally {
    await folder.close()
  }
}

/**
 * @template T
 * @param {string} path
 * @param {T} fallback
 * @returns {Promise<T>}
 */
export async function readJsonFile(path, fallback) {
  const text = await readFile(path, 'utf8').catch(orNull)
  return text === null ? fallback : JSON.parse(text)
}

/** @param {unknown} error */
export function orNull(error) {
  if (/** @type {NodeJS.ErrnoException} */ (error).code === 'ENOENT') return null
  throw error
}

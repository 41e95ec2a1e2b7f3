import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { quote } from '../shell/quote'

/** A script's path inside remote-scripts/, e.g. `provision.sh` or `lib/progress.sh`. */
const SCRIPT_PATH = /^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)*\.sh$/

/**
 * The protocol between this Helvetia and the scripts it installs on a server: raised whenever a
 * script's inputs, outputs or the server-side layout change so that an older Helvetia must not drive
 * them. A server remembers the highest protocol installed; an older one is updated, a newer one refused.
 */
export const PROTOCOL_VERSION = 1

export interface ScriptBundle {
  /** The protocol these scripts speak (PROTOCOL_VERSION unless a test says otherwise). */
  protocol: number
  /** Content address: a prefix of the SHA-256 of every path and content, so each version uploads once. */
  hash: string
  files: { path: string; content: string }[]
}

/**
 * All scripts of remote-scripts/ (and its lib/), uploaded and addressed as one unit because they
 * source each other.
 */
export async function loadScriptBundle(
  scriptsDir: string,
  protocol: number = PROTOCOL_VERSION,
): Promise<ScriptBundle> {
  const entries = await readdir(scriptsDir, { recursive: true, withFileTypes: true })
  const paths = entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.sh'))
    .map((entry) => relative(scriptsDir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort()
  const files = await Promise.all(
    paths.map(async (path) => {
      if (!SCRIPT_PATH.test(path)) throw new Error(`Unexpected script file name in ${scriptsDir}: ${path}`)
      const content = await readFile(join(scriptsDir, path), 'utf8')
      if (!content.endsWith('\n')) throw new Error(`${path} must end with a line break`)
      return { path, content }
    }),
  )
  const sha = createHash('sha256').update(`protocol ${protocol}\0`)
  for (const file of files) sha.update(`${file.path}\0${file.content}\0`)
  return { protocol, hash: sha.digest('hex').slice(0, 16), files }
}

/**
 * A shell script that writes every file of the bundle into the current directory, then marks the
 * directory complete. It is fed to `sh -s` on the target, so one round trip uploads the bundle; each
 * file is written beside its final name and renamed, so an interrupted upload never leaves a torn file.
 */
export function bundleWriter(bundle: ScriptBundle): string {
  const eof = `HELVETIA_EOF_${bundle.hash}`
  const lines = ['set -eu']
  for (const { path, content } of bundle.files) {
    if (content.split('\n').includes(eof)) throw new Error(`${path} contains the upload delimiter ${eof}`)
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '.'
    // A temporary name per uploader: two uploads of the same bundle may race, harmlessly.
    const tmp = `${quote(path)}.$$`
    lines.push(
      `mkdir -p ${quote(dir)}`,
      `cat > ${tmp} <<'${eof}'`,
      content + eof,
      `chmod 700 ${tmp}`,
      `mv -f ${tmp} ${quote(path)}`,
    )
  }
  lines.push(': > .complete', '')
  return lines.join('\n')
}

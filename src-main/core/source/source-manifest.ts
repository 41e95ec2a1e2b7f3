import { createHash } from 'node:crypto'

/**
 * What the server holds of an app's folder: one entry per file. Its text form is the file
 * remote-scripts/deploy-upload.sh maintains (`sha256 TAB size TAB mtime-ms TAB mode TAB path`, one line
 * each, sorted by the path's bytes), and its source id is the sha256 of the sha256, mode and path
 * columns: the same bytes on both ends, so each side can check the other. A symbolic link's line holds
 * the sha256 and byte length of its target string and the mode `120000` (git's), so the id changes
 * when a link's target does and a link never equals a file holding the same text.
 */
export interface ManifestEntry {
  sha256: string
  size: number
  mtimeMs: number
  /** Octal permission bits as text: `644` or `755`, or LINK_MODE. */
  mode: string
}

export const LINK_MODE = '120000'

export type Manifest = Map<string, ManifestEntry>

export function manifestLine(path: string, entry: ManifestEntry): string {
  return `${entry.sha256}\t${entry.size}\t${entry.mtimeMs}\t${entry.mode}\t${path}`
}

export function parseManifest(text: string): Manifest {
  const manifest: Manifest = new Map()
  for (const line of text.split('\n')) {
    const fields = line.split('\t')
    if (fields.length < 5) continue
    const [sha256 = '', size = '', mtimeMs = '', mode = ''] = fields
    manifest.set(fields.slice(4).join('\t'), {
      sha256,
      size: Number(size),
      mtimeMs: Number(mtimeMs),
      mode,
    })
  }
  return manifest
}

/** Paths in the order `LC_ALL=C sort` gives them: by their UTF-8 bytes. */
export function sortedPaths(manifest: Manifest): string[] {
  return [...manifest.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
}

/** The upload id of a tree: independent of modification times, so a touched file changes nothing. */
export function sourceId(manifest: Manifest): string {
  const sha = createHash('sha256')
  for (const path of sortedPaths(manifest)) {
    const entry = manifest.get(path)!
    sha.update(`${entry.sha256}\t${entry.mode}\t${path}\n`)
  }
  return sha.digest('hex')
}

import { createHash } from 'node:crypto'
import { lstat } from 'node:fs/promises'
import { join } from 'node:path'
import { UserError } from '../errors'
import type { ScriptRunner } from '../remote/script-runner'
import type { Target } from '../targets/target'
import { hashInside, listFolderFiles, readInside, type LocalFile } from './folder-files'
import {
  LINK_MODE,
  manifestLine,
  parseManifest,
  sortedPaths,
  sourceId,
  type Manifest,
} from './source-manifest'
import { tarArchive, type TarFile } from './tar-writer'

export interface UploadResult {
  /** sha256 of the tree (see source-manifest.ts): the deployment's source id. */
  sourceId: string
  files: number
  /** Bytes of all files in the tree, and the bytes sent over the connection for this upload. */
  treeBytes: number
  sentBytes: number
  changed: number
  deleted: number
}

export interface FolderUploadOptions {
  prefix: string
  app: string
  folder: string
  signal?: AbortSignal
  /** A compose app's folder holds its compose file (read already), not necessarily a Dockerfile. */
  compose?: boolean
}

/** The last manifest seen per server and app, so an unchanged one is not downloaded again. */
const seen = new WeakMap<Target, Map<string, { hash: string; text: string }>>()

/**
 * Brings the server's copy of an app's folder (~/.PREFIX/apps/APP/source) up to date with the local
 * one, sending only what changed. The server keeps the manifest, so any machine can deploy next; a file
 * whose size and modification time match the manifest is not even read. One round trip reads the
 * manifest (a hash when it is the one seen last), one sends a tar of the changes, none when nothing
 * changed.
 */
export async function uploadFolder(
  target: Target,
  scripts: ScriptRunner,
  options: FolderUploadOptions,
): Promise<UploadResult> {
  const { prefix, app, folder, signal } = options
  const local = await listFolderFiles(folder)
  if (!options.compose && !local.some((file) => file.path === 'Dockerfile')) {
    await lstat(join(folder, 'Dockerfile')).catch(() => {
      throw new UserError(
        'DOCKERFILE_MISSING',
        `There is no Dockerfile in ${folder}.`,
        'Add a Dockerfile at the top of the app’s folder (and make sure .gitignore does not hide it).',
      )
    })
  }
  const remote = await remoteManifest(target, scripts, prefix, app, signal)

  const next: Manifest = new Map()
  const send: LocalFile[] = []
  const changedLines: string[] = []
  for (const file of local) {
    const known = remote.get(file.path)
    const mode = file.link === undefined ? file.mode.toString(8) : LINK_MODE
    if (known && known.size === file.size && known.mtimeMs === file.mtimeMs && known.mode === mode) {
      next.set(file.path, known)
      continue
    }
    const entry = {
      sha256:
        file.link === undefined
          ? await hashInside(folder, file.path)
          : createHash('sha256').update(file.link).digest('hex'),
      size: file.size,
      mtimeMs: file.mtimeMs,
      mode,
    }
    next.set(file.path, entry)
    changedLines.push(manifestLine(file.path, entry))
    // Only touched: the server records the new time, no content travels.
    if (!(known && known.sha256 === entry.sha256 && known.mode === mode)) send.push(file)
  }
  const deleted = [...remote.keys()].filter((path) => !next.has(path))
  const id = sourceId(next)
  const result = {
    sourceId: id,
    files: local.length,
    treeBytes: local.reduce((sum, file) => sum + file.size, 0),
    sentBytes: 0,
    changed: send.length,
    deleted: deleted.length,
  }
  if (changedLines.length === 0 && deleted.length === 0) return result

  const entries: TarFile[] = [
    { path: 'changes/deleted', data: Buffer.from(deleted.map((path) => `${path}\0`).join('')), mode: 0o600 },
    {
      path: 'changes/manifest',
      data: Buffer.from(changedLines.map((line) => `${line}\n`).join('')),
      mode: 0o600,
    },
  ]
  for (const file of send) {
    entries.push({
      path: `files/${file.path}`,
      data: file.link === undefined ? await readInside(folder, file.path) : Buffer.alloc(0),
      mode: file.mode,
      mtime: file.mtimeMs / 1000,
      link: file.link,
    })
  }
  const archive = tarArchive(entries)
  await scripts.call(
    target,
    'source.upload',
    { prefix, app, bytes: archive.length, sourceId: id },
    {
      stdin: archive,
      signal,
    },
  )
  remember(
    target,
    `${prefix}/${app}`,
    sortedPaths(next)
      .map((path) => `${manifestLine(path, next.get(path)!)}\n`)
      .join(''),
  )
  return { ...result, sentBytes: archive.length }
}

async function remoteManifest(
  target: Target,
  scripts: ScriptRunner,
  prefix: string,
  app: string,
  signal?: AbortSignal,
) {
  const key = `${prefix}/${app}`
  const cached = seen.get(target)?.get(key)
  const input = { prefix, app, hash: cached?.hash ?? '-' }
  const { stdout } = await scripts.call(target, 'source.manifest', input, { signal })
  if (cached && stdout === 'same\n') return parseManifest(cached.text)
  remember(target, key, stdout)
  return parseManifest(stdout)
}

/** Keeps `text`, byte for byte what the server's manifest file holds now. */
function remember(target: Target, key: string, text: string): void {
  let map = seen.get(target)
  if (!map) seen.set(target, (map = new Map()))
  map.set(key, { hash: createHash('sha256').update(text).digest('hex'), text })
}

import { lstat, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { readInside } from '../source/folder-files'

/**
 * What detection reads of an app's source: a local folder, or a git commit's tree on the server
 * (./git-files.ts). Paths are relative and `/`-separated; links are never followed.
 */
export interface SourceFiles {
  /** Names the source in messages: a folder, or a repository at a commit. */
  where: string
  /** The names in folder `dir` (`''`: the top), sub-folders ending in `/`; none when it is no folder. */
  list(dir: string): Promise<string[]>
  /** A regular file's text (its first MAX_READ bytes), or null when there is none. */
  read(path: string): Promise<string | null>
}

/** Manifests are small; a bigger file is read only this far (what detection looks for is at the top). */
export const MAX_READ = 256 * 1024

/** A local folder's files, read inside it (readInside refuses a path through a link). */
export function folderSource(root: string): SourceFiles {
  return {
    where: root,
    async list(dir) {
      const entries = await readdir(join(root, dir), { withFileTypes: true }).catch(() => [])
      return entries
        .filter((e) => e.isFile() || e.isDirectory())
        .map((e) => (e.isDirectory() ? `${e.name}/` : e.name))
        .sort()
    },
    async read(path) {
      const stat = await lstat(join(root, path)).catch(() => null)
      if (!stat?.isFile()) return null
      const data = await readInside(root, path).catch(() => null)
      return data === null ? null : data.subarray(0, MAX_READ).toString('utf8')
    },
  }
}

/** A source from files held in memory (a git tree read on the server, a test's fixture). */
export function memorySource(
  where: string,
  files: ReadonlyMap<string, string>,
  dirs: Iterable<string> = [],
): SourceFiles {
  const folders = new Set(dirs)
  for (const path of files.keys()) {
    const parts = path.split('/')
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'))
  }
  return {
    where,
    async list(dir) {
      const prefix = dir === '' ? '' : `${dir.replace(/\/$/, '')}/`
      const names = new Set<string>()
      for (const path of [...files.keys(), ...[...folders].map((f) => `${f}/`)]) {
        if (!path.startsWith(prefix) || path === prefix) continue
        const rest = path.slice(prefix.length)
        const slash = rest.indexOf('/')
        names.add(slash === -1 ? rest : rest.slice(0, slash + 1))
      }
      return [...names].sort()
    },
    async read(path) {
      return files.get(path) ?? null
    },
  }
}

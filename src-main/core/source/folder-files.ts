import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { constants } from 'node:fs'
import { lstat, open, readdir, readlink, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { UserError } from '../errors'
import { dockerignored, lastMatch, parseDockerignore, parseGitignore, type IgnoreRule } from './ignore-rules'

export interface LocalFile {
  /** Relative to the folder, `/`-separated. */
  path: string
  size: number
  /** Whole milliseconds. */
  mtimeMs: number
  /** 0o755 for an executable file, 0o644 otherwise: all a build needs of the permissions (0o777 for a link). */
  mode: number
  /** A symbolic link's target, as written: the link is sent as a link, never as what it points to. */
  link?: string
}

/** Always sent, even when .dockerignore lists them: Docker reads both from the context regardless. */
const ALWAYS_SENT = new Set(['Dockerfile', '.dockerignore'])
/** Files stat'ed at once: enough to keep libuv's thread pool busy, few enough to bound memory. */
const STAT_BATCH = 256

/**
 * The files of an app's folder that belong in its build context: not ignored by git, not excluded by
 * .dockerignore, never `.git/`.
 *
 * In a git work tree git itself lists them (`git ls-files --cached --others --exclude-standard`), so
 * nested .gitignore files, .git/info/exclude and the user's global excludes behave exactly as in git;
 * elsewhere the folder is walked, honouring every .gitignore in it. Symbolic links are listed as links
 * (as `docker build` keeps them) and never followed: nothing outside the folder is read, and a path
 * below a link (a stale git index) is left out.
 */
export async function listFolderFiles(root: string): Promise<LocalFile[]> {
  const paths = (await gitFiles(root)) ?? (await walk(root))
  let dockerRules: IgnoreRule[] = []
  try {
    dockerRules = parseDockerignore((await readInside(root, '.dockerignore')).toString('utf8'))
  } catch {
    // No .dockerignore.
  }
  const sent = paths.filter((path) => {
    if (!ALWAYS_SENT.has(path) && dockerignored(dockerRules, path)) return false
    if (/[\t\n\r]/.test(path)) {
      throw new UserError(
        'UNSUPPORTED_FILE_NAME',
        `Cannot send ${JSON.stringify(path)}: file names with tabs or line breaks are not supported.`,
        'Rename the file, or list it in .dockerignore.',
      )
    }
    return true
  })
  // One stat after another is most of a big tree's listing time: keep a batch in flight instead.
  const folders = new Map<string, Promise<boolean>>()
  const entries: (LocalFile | null)[] = []
  for (let from = 0; from < sent.length; from += STAT_BATCH) {
    const batch = sent.slice(from, from + STAT_BATCH)
    entries.push(...(await Promise.all(batch.map((path) => localFile(root, path, folders)))))
  }
  return entries.filter((entry) => entry !== null)
}

/**
 * A file of the folder, read without following a link: one that replaced the file since the listing
 * fails (ELOOP) instead of leading outside.
 */
export async function readInside(root: string, path: string): Promise<Buffer> {
  const handle = await openInside(root, path)
  try {
    return await handle.readFile()
  } finally {
    await handle.close()
  }
}

/** The sha256 of a file of the folder, read as readInside reads it. */
export async function hashInside(root: string, path: string): Promise<string> {
  const sha = createHash('sha256')
  for await (const chunk of (await openInside(root, path)).createReadStream()) sha.update(chunk as Buffer)
  return sha.digest('hex')
}

function openInside(root: string, path: string): Promise<FileHandle> {
  return open(join(root, path), constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0))
}

/** null: listed by git but gone, not a file or link, or below a link (`folders` caches the check). */
async function localFile(
  root: string,
  path: string,
  folders: Map<string, Promise<boolean>>,
): Promise<LocalFile | null> {
  const slash = path.lastIndexOf('/')
  if (slash > 0 && !(await realFolder(root, path.slice(0, slash), folders))) return null
  const info = await lstat(join(root, path)).catch(() => null)
  if (info?.isSymbolicLink()) {
    const link = await readlink(join(root, path))
    return { path, size: Buffer.byteLength(link), mtimeMs: Math.floor(info.mtimeMs), mode: 0o777, link }
  }
  if (!info?.isFile()) return null
  return {
    path,
    size: info.size,
    mtimeMs: Math.floor(info.mtimeMs),
    mode: info.mode & 0o111 ? 0o755 : 0o644,
  }
}

/** Whether `dir` and each folder above it are folders, not links to one. */
function realFolder(root: string, dir: string, folders: Map<string, Promise<boolean>>): Promise<boolean> {
  let known = folders.get(dir)
  if (!known) {
    const slash = dir.lastIndexOf('/')
    const above = slash > 0 ? realFolder(root, dir.slice(0, slash), folders) : Promise.resolve(true)
    known = above.then(
      async (ok) => ok && ((await lstat(join(root, dir)).catch(() => null))?.isDirectory() ?? false),
    )
    folders.set(dir, known)
  }
  return known
}

function gitFiles(root: string): Promise<string[] | null> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['-C', root, 'ls-files', '-z', '--cached', '--others', '--exclude-standard'],
      { maxBuffer: 256 * 1024 * 1024, encoding: 'buffer' },
      (error, stdout) => {
        // Not a work tree (or no git): walk the folder instead.
        if (error) return resolve(null)
        const paths = stdout.toString('utf8').split('\0').filter(Boolean)
        resolve([...new Set(paths)].filter((path) => !path.startsWith('.git/')))
      },
    )
  })
}

async function walk(root: string): Promise<string[]> {
  const out: string[] = []
  const visit = async (dir: string, rules: IgnoreRule[][]): Promise<void> => {
    const here = dir === '' ? root : join(root, dir)
    let own: IgnoreRule[] = []
    try {
      own = parseGitignore((await readInside(here, '.gitignore')).toString('utf8'))
    } catch {
      // No .gitignore here (or a link, which git does not follow either).
    }
    const scopes = [...rules, own]
    const entries = await readdir(here, { withFileTypes: true })
    for (const entry of entries) {
      const path = dir === '' ? entry.name : `${dir}/${entry.name}`
      if (path === '.git') continue
      // A link is an entry of its own, whatever it points to (git's view too): never followed.
      const isDir = entry.isDirectory()
      if (ignoredByGit(scopes, dir, path, isDir)) continue
      if (isDir) await visit(path, scopes)
      else out.push(path)
    }
  }
  // Each scope's rules are relative to its own folder: scopes[i] belongs to the i-th ancestor.
  await visit('', [])
  return out
}

/** The last rule that matches, from the deepest .gitignore up, decides; no match means not ignored. */
function ignoredByGit(scopes: readonly IgnoreRule[][], dir: string, path: string, isDir: boolean): boolean {
  const parts = dir === '' ? [] : dir.split('/')
  for (let depth = scopes.length - 1; depth >= 0; depth--) {
    const base = parts.slice(0, depth).join('/')
    const relative = base === '' ? path : path.slice(base.length + 1)
    const match = lastMatch(scopes[depth]!, relative, isDir)
    if (match !== undefined) return match
  }
  return false
}

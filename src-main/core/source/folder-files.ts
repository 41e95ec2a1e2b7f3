import { execFile } from 'node:child_process'
import type { Stats } from 'node:fs'
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { UserError } from '../errors'
import { dockerignored, lastMatch, parseDockerignore, parseGitignore, type IgnoreRule } from './ignore-rules'

export interface LocalFile {
  /** Relative to the folder, `/`-separated. */
  path: string
  size: number
  /** Whole milliseconds. */
  mtimeMs: number
  /** 0o755 for an executable file, 0o644 otherwise: all a build needs of the permissions. */
  mode: number
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
 * elsewhere the folder is walked, honouring every .gitignore in it. Symbolic links to files are sent as
 * the file; links to folders are skipped (they could loop).
 */
export async function listFolderFiles(root: string): Promise<LocalFile[]> {
  const paths = (await gitFiles(root)) ?? (await walk(root))
  let dockerRules: IgnoreRule[] = []
  try {
    dockerRules = parseDockerignore(await readFile(join(root, '.dockerignore'), 'utf8'))
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
  const infos: (Stats | null)[] = []
  for (let from = 0; from < sent.length; from += STAT_BATCH) {
    const batch = sent.slice(from, from + STAT_BATCH)
    // null: listed by git but deleted, or a dangling link.
    infos.push(...(await Promise.all(batch.map((path) => stat(join(root, path)).catch(() => null)))))
  }
  const files: LocalFile[] = []
  sent.forEach((path, i) => {
    const info = infos[i]
    if (!info?.isFile()) return
    files.push({
      path,
      size: info.size,
      mtimeMs: Math.floor(info.mtimeMs),
      mode: info.mode & 0o111 ? 0o755 : 0o644,
    })
  })
  return files
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
      own = parseGitignore(await readFile(join(here, '.gitignore'), 'utf8'))
    } catch {
      // No .gitignore here.
    }
    const scopes = [...rules, own]
    const entries = await readdir(here, { withFileTypes: true })
    for (const entry of entries) {
      const path = dir === '' ? entry.name : `${dir}/${entry.name}`
      if (path === '.git') continue
      let isDir = entry.isDirectory()
      if (entry.isSymbolicLink()) {
        const target = await stat(join(here, entry.name)).catch(() => null)
        if (!target || target.isDirectory()) continue
        isDir = false
      }
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

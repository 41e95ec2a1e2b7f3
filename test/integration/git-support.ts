/**
 * Git repositories the test server can fetch from: a bare repository owned by the server's user (git
 * refuses to serve one owned by another user) in a fresh folder under /tmp, fed by a working copy that
 * this process (root) commits to and pushes from. Reached by its path, or over SSH to the test
 * server's own sshd, where `authorizeDeployKey` lets in a deploy key for git only.
 */
import { execFileSync } from 'node:child_process'
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sh } from '../../src-main/core/shell/quote'
import type { TestServer } from '../support/test-server'
import { writeFiles } from './deploy-support'

type TestContext = { after(fn: () => Promise<void> | void): void }

export interface GitRepo {
  /** The bare repository's path on the server (the same machine). */
  path: string
  /** `ssh://USER@127.0.0.1:PORT/PATH` of the same repository. */
  sshUrl: string
  /** Writes `files` into the working copy, commits, pushes to `branch` (default main): the commit id. */
  commit(files: Record<string, string>, branch?: string): Promise<string>
}

export async function gitRepo(t: TestContext, server: TestServer): Promise<GitRepo> {
  const root = await mkdtemp(join(tmpdir(), 'helvetia-git-'))
  t.after(() => rm(root, { recursive: true, force: true }))
  await chmod(root, 0o755)
  const path = join(root, 'app.git')
  const work = join(root, 'work')
  // A git config of this test's own: the bare repository belongs to the server's user, which git
  // accepts from root only when told so (safe.directory is read from the global config, not -c).
  const config = join(root, 'gitconfig')
  await writeFile(config, '[safe]\n\tdirectory = *\n[user]\n\tname = Test\n\temail = test@example.com\n')
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, GIT_CONFIG_GLOBAL: config, GIT_CONFIG_NOSYSTEM: '1' },
    }).trim()
  git(root, 'init', '-q', '--bare', '--initial-branch=main', path)
  git(root, 'init', '-q', '--initial-branch=main', work)
  const own = () => execFileSync('chown', ['-R', `${server.user}:`, path])
  own()
  return {
    path,
    sshUrl: `ssh://${server.user}@127.0.0.1:${server.port}${path}`,
    async commit(files, branch = 'main') {
      git(work, 'checkout', '-q', '-B', branch)
      await writeFiles(work, files)
      git(work, 'add', '-A')
      git(work, 'commit', '-q', '--allow-empty', '-m', `commit to ${branch}`)
      git(work, 'push', '-q', path, `HEAD:refs/heads/${branch}`)
      own()
      return git(work, 'rev-parse', 'HEAD')
    },
  }
}

/** Commands as the test server's user: `run` now (resolves with standard output), `cleanup` after the test. */
export interface ServerShell {
  run(command: string): Promise<string>
  cleanup(command: string): void
}

/**
 * Lets `publicKey` log in as the server's user for git only (git-shell), until the test ends. Call it
 * again right before each use: test/server/up.sh, run by a concurrent test run, rewrites authorized_keys.
 */
export function authorizeDeployKey({ run, cleanup }: ServerShell, publicKey: string): () => Promise<void> {
  const blob = publicKey.split(' ')[1] ?? ''
  const line = `command="git-shell -c \\"$SSH_ORIGINAL_COMMAND\\"",restrict ${publicKey}`
  const file = '"$HOME"/.ssh/authorized_keys'
  cleanup(`f=${file}; ` + sh`grep -vF -e ${blob} "$f" >"$f.$$" || true; cat "$f.$$" >"$f"; rm -f "$f.$$"`)
  return async () => {
    await run(`umask 077; f=${file}; ` + sh`grep -qF -e ${blob} "$f" || printf '%s\n' ${line} >>"$f"`)
  }
}

/** `[127.0.0.1]:PORT` of the test sshd in the server user's ~/.ssh/known_hosts, or not. */
export function knownHost({ run, cleanup }: ServerShell, server: TestServer) {
  const forget = sh`ssh-keygen -R ${`[127.0.0.1]:${server.port}`} -f "$HOME"/.ssh/known_hosts >/dev/null 2>&1 || true`
  cleanup(forget)
  return {
    forget: () => run(forget),
    /** What the GIT_HOST_KEY_UNKNOWN hint says: scan, check the fingerprint, then add. */
    async trust() {
      const scanned = await run(sh`ssh-keyscan -t ed25519 -p ${server.port} 127.0.0.1 2>/dev/null`)
      const printed = await run(sh`printf '%s' ${scanned} | ssh-keygen -lf -`)
      if (!printed.includes(server.hostKeyFingerprint)) {
        throw new Error(`ssh-keyscan found another key: ${printed}`)
      }
      await run(sh`umask 077; mkdir -p "$HOME"/.ssh; printf '%s' ${scanned} >>"$HOME"/.ssh/known_hosts`)
    },
  }
}

/**
 * lib/docker-install.sh's download of Docker's install script, which root then runs: its name cannot
 * be guessed (mktemp, not the PID), and only its owner can read or write it, whatever the umask of
 * the login. get.docker.com cannot be reached here, so `curl` is a stand-in on PATH that writes a
 * script to the file it is given (or fails, like a server without a route to it); the real download
 * attempt runs in test/integration/provision-fresh.test.ts.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { fileURLToPath } from 'node:url'

const SCRIPTS_DIR = fileURLToPath(new URL('../../remote-scripts', import.meta.url))

/** Runs fetch_docker_script under `umask`; prints the installer's path, mode and content, or `failed`. */
const FETCH = `
. ./lib/progress.sh
. ./lib/system.sh
. ./lib/docker-install.sh
umask "$1"
if fetch_docker_script; then
  printf '%s\\n' "$installer" "$(stat -c %a "$installer")" "$(cat "$installer")"
else
  echo failed
fi
`

async function standIn(t: TestContext, curl: string) {
  const dir = await mkdtemp(join(tmpdir(), 'helvetia-docker-install-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const bin = join(dir, 'bin')
  const tmp = join(dir, 'tmp')
  await Promise.all([mkdir(bin), mkdir(tmp)])
  await writeFile(join(bin, 'curl'), `#!/bin/sh\n${curl}\n`)
  await chmod(join(bin, 'curl'), 0o755)
  const fetch = (umask: string) =>
    new Promise<{ lines: string[]; stderr: string; pid: number }>((resolve, reject) => {
      const child = execFile(
        'sh',
        ['-c', FETCH, 'sh', umask],
        { cwd: SCRIPTS_DIR, env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, TMPDIR: tmp } },
        (error, stdout, stderr) =>
          error
            ? reject(error)
            : resolve({ lines: stdout.trimEnd().split('\n'), stderr, pid: child.pid ?? 0 }),
      )
    })
  return { tmp, fetch }
}

// The stand-in writes to the file after -o, as curl does (truncating it, keeping its mode).
const WRITES =
  'while [ "$#" -gt 1 ]; do [ "$1" = -o ] && out=$2; shift; done; echo "echo install docker" >"$out"'

test('the install script is downloaded to an unguessable file only its owner can read, whatever the umask', async (t) => {
  const { tmp, fetch } = await standIn(t, WRITES)
  const paths = new Set<string>()
  for (const umask of ['022', '000']) {
    const { lines, stderr, pid } = await fetch(umask)
    const [path = '', mode, content] = lines
    assert.equal(path.startsWith(`${tmp}/helvetia-get-docker.`), true, path)
    assert.match(path.slice(tmp.length + 1), /^helvetia-get-docker\.[A-Za-z0-9]{10}$/)
    assert.ok(!path.includes(String(pid)), `the name holds no PID: ${path}`)
    assert.equal(mode, '600', `umask ${umask}`)
    assert.equal(content, 'echo install docker')
    assert.match(stderr, new RegExp(`Downloading https://get.docker.com to ${path}`))
    paths.add(path)
  }
  assert.equal(paths.size, 2, 'each download gets a new name')
})

test('a failed download leaves no file behind and says so', async (t) => {
  const { tmp, fetch } = await standIn(
    t,
    'echo "curl: (6) Could not resolve host: get.docker.com" >&2; exit 6',
  )
  const { lines, stderr } = await fetch('022')
  assert.deepEqual(lines, ['failed'])
  assert.match(stderr, /Could not resolve host/)
  assert.deepEqual(await readdir(tmp), [])
})

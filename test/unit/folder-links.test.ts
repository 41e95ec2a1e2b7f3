/**
 * Symbolic links in an app's folder are sent as links, never as what they point to: a link to the
 * user's private key must not put the key into a build context the app's own Dockerfile controls. The
 * upload runs the real remote-scripts/deploy-upload.sh on this machine (a LocalTarget with its own
 * HOME), so the tree checked is the one the server would build from.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { listFolderFiles } from '../../src-main/core/source/folder-files'
import { uploadFolder } from '../../src-main/core/source/folder-upload'
import { ScriptRunner } from '../../src-main/core/remote/script-runner'
import { LocalTarget } from '../../src-main/core/targets/local-target'

const SCRIPTS_DIR = fileURLToPath(new URL('../../remote-scripts', import.meta.url))
const SECRET = 'PRIVATE KEY 5f3a'

/**
 * A temporary root with `outside/` (a secret file and a folder holding another) and `app/`, whose
 * links lead outside: relative and absolute, to files and folders, dangling, and two loops.
 */
async function folderWithLinks(t: { after: (fn: () => Promise<void>) => void }) {
  const root = await mkdtemp(join(tmpdir(), 'helvetia-links-'))
  t.after(() => rm(root, { recursive: true, force: true }))
  const outside = join(root, 'outside')
  const app = join(root, 'app')
  await mkdir(join(outside, 'keys'), { recursive: true })
  await writeFile(join(outside, 'id_ed25519'), SECRET)
  await writeFile(join(outside, 'keys', 'x'), SECRET)
  await mkdir(join(app, 'www'), { recursive: true })
  await writeFile(join(app, 'Dockerfile'), 'FROM scratch\n')
  await writeFile(join(app, 'www', 'index.html'), 'hello\n')
  const links: Record<string, string> = {
    'www/notes.txt': '../../outside/id_ed25519',
    'www/absolute.txt': join(outside, 'id_ed25519'),
    'www/keys': '../../outside/keys',
    'absolute-dir': outside,
    dangling: 'nowhere',
    'loop-a': 'loop-b',
    'loop-b': 'loop-a',
    self: '.',
  }
  for (const [path, target] of Object.entries(links)) await symlink(target, join(app, path))
  return { root, app, outside, links }
}

/** Every regular file under `dir`, never through a link, with its content. */
async function regularFiles(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name)
      out.set(path, await readFile(path, 'utf8'))
    }
  }
  return out
}

async function localUpload(home: string, folder: string) {
  const target = new LocalTarget({ env: { PATH: process.env.PATH, HOME: home } })
  return uploadFolder(target, new ScriptRunner({ scriptsDir: SCRIPTS_DIR }), {
    prefix: 'helvetia-links',
    app: 'web',
    folder,
  })
}

for (const mode of ['walked', 'git work tree'] as const) {
  test(`folder files (${mode}): links are listed as links with their targets, none is followed`, async (t) => {
    const { app, links } = await folderWithLinks(t)
    if (mode === 'git work tree') execFileSync('git', ['init', '-q', app])
    const files = await listFolderFiles(app)
    assert.deepEqual(
      files.map((f) => [f.path, f.link]).sort(),
      [['Dockerfile', undefined], ['www/index.html', undefined], ...Object.entries(links)].sort(),
    )
    for (const file of files) {
      if (file.link !== undefined) assert.equal(file.size, Buffer.byteLength(file.link), file.path)
    }
  })
}

test('a path git lists below a folder since replaced by a link to outside is left out', async (t) => {
  const { app, outside } = await folderWithLinks(t)
  await mkdir(join(app, 'conf'))
  await writeFile(join(app, 'conf', 'id_ed25519'), 'public settings\n')
  execFileSync('git', ['-C', app, 'init', '-q'])
  execFileSync('git', ['-C', app, 'add', 'conf/id_ed25519'])
  await rm(join(app, 'conf'), { recursive: true })
  await symlink(outside, join(app, 'conf'))
  const files = await listFolderFiles(app)
  assert.equal(
    files.find((f) => f.path === 'conf/id_ed25519'),
    undefined,
    'read through the link',
  )
  assert.equal(files.find((f) => f.path === 'conf')?.link, outside)
})

test('the uploaded tree holds the links, not their targets; the source id follows a link’s target', async (t) => {
  const { root, app, links } = await folderWithLinks(t)
  const home = join(root, 'home')
  await mkdir(home)
  const first = await localUpload(home, app)
  const source = join(home, '.helvetia-links', 'apps', 'web', 'source')
  for (const [path, target] of Object.entries(links)) {
    assert.ok((await lstat(join(source, path))).isSymbolicLink(), `${path} is a link`)
    assert.equal(await readlink(join(source, path)), target)
  }
  const contents = await regularFiles(source)
  assert.deepEqual([...contents.keys()].map((p) => p.slice(source.length + 1)).sort(), [
    'Dockerfile',
    'www/index.html',
  ])

  // Another target of the same length changes the source id, and the server agrees with it.
  await rm(join(app, 'www', 'notes.txt'))
  await symlink('../../outside/id_ed25518', join(app, 'www', 'notes.txt'))
  const second = await localUpload(home, app)
  assert.notEqual(second.sourceId, first.sourceId)
  assert.equal(await readlink(join(source, 'www', 'notes.txt')), '../../outside/id_ed25518')

  // A file holding the link's target as text is not the link.
  await rm(join(app, 'www', 'notes.txt'))
  await writeFile(join(app, 'www', 'notes.txt'), '../../outside/id_ed25518')
  const third = await localUpload(home, app)
  assert.notEqual(third.sourceId, second.sourceId)
  assert.ok((await lstat(join(source, 'www', 'notes.txt'))).isFile())
})

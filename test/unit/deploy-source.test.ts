import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readlinkSync } from 'node:fs'
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { listFolderFiles } from '../../src-main/core/source/folder-files'
import {
  dockerignored,
  parseDockerignore,
  parseGitignore,
  lastMatch,
} from '../../src-main/core/source/ignore-rules'
import { parseManifest, manifestLine, sourceId } from '../../src-main/core/source/source-manifest'
import { tarArchive } from '../../src-main/core/source/tar-writer'

async function tree(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'helvetia-src-'))
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true })
    await writeFile(join(dir, path), content)
  }
  return dir
}

test('tar archives read back with GNU tar: long and non-ASCII paths, modes, contents, links', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'helvetia-tar-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const long = `${'deep/'.repeat(30)}file.txt`
  const archive = tarArchive([
    { path: 'a.txt', data: Buffer.from('A'), mode: 0o644 },
    { path: long, data: Buffer.alloc(1000, 'x'), mode: 0o644 },
    { path: 'bin/run é.sh', data: Buffer.from('#!/bin/sh\n'), mode: 0o755 },
    { path: 'short-link', data: Buffer.alloc(0), mode: 0o777, link: '../a.txt' },
    { path: `${long}-link`, data: Buffer.alloc(0), mode: 0o777, link: `../${long}é` },
  ])
  assert.equal(archive.length % 512, 0)
  execFileSync('tar', ['-x', '-p', '-C', dir, '-f', '-'], { input: archive })
  assert.equal(execFileSync('cat', [join(dir, 'a.txt')], { encoding: 'utf8' }), 'A')
  assert.equal(execFileSync('wc', ['-c', join(dir, long)], { encoding: 'utf8' }).split(' ')[0], '1000')
  assert.equal(
    execFileSync('stat', ['-c', '%a', join(dir, 'bin/run é.sh')], { encoding: 'utf8' }).trim(),
    '755',
  )
  assert.equal(readlinkSync(join(dir, 'short-link')), '../a.txt')
  assert.equal(readlinkSync(join(dir, `${long}-link`)), `../${long}é`)
})

test('.gitignore: unanchored names match at any depth, slashes anchor, ! re-includes, dir/ only folders', () => {
  const rules = parseGitignore('*.log\n/build\nnode_modules/\n!keep.log\ndocs/**/*.tmp\n# comment\n')
  const ignored = (path: string, isDir = false) => lastMatch(rules, path, isDir) === true
  assert.ok(ignored('a.log') && ignored('src/deep/b.log'))
  assert.ok(!ignored('keep.log') && !ignored('src/keep.log'))
  assert.ok(ignored('build', true) && !ignored('src/build', true))
  assert.ok(ignored('node_modules', true) && ignored('x/node_modules', true) && !ignored('node_modules'))
  assert.ok(ignored('docs/a/b/c.tmp') && ignored('docs/c.tmp') && !ignored('c.tmp'))
})

test('.dockerignore: anchored at the root, folders exclude their content, exceptions, **', () => {
  const rules = parseDockerignore('node_modules\n**/*.md\n!README.md\n/tmp/\n.git\n')
  assert.ok(dockerignored(rules, 'node_modules/a/b.js'))
  assert.ok(!dockerignored(rules, 'src/node_modules/a.js'), 'anchored, unlike .gitignore')
  assert.ok(dockerignored(rules, 'docs/guide.md') && dockerignored(rules, 'CHANGES.md'))
  assert.ok(!dockerignored(rules, 'README.md'))
  assert.ok(dockerignored(rules, 'tmp/x') && !dockerignored(rules, 'src/main.ts'))
})

test('folder files: .gitignore (walked, or git ls-files in a work tree) and .dockerignore, never .git', async (t) => {
  const files = {
    Dockerfile: 'FROM x\n',
    '.gitignore': 'dist/\n*.log\n',
    '.dockerignore': 'secret.env\nDockerfile\n',
    'src/app.js': 'x',
    'src/.gitignore': 'local.js\n',
    'src/local.js': 'x',
    'dist/out.js': 'x',
    'debug.log': 'x',
    'secret.env': 'x',
  }
  const expected = ['.dockerignore', '.gitignore', 'Dockerfile', 'src/.gitignore', 'src/app.js']
  const plain = await tree(files)
  t.after(() => rm(plain, { recursive: true, force: true }))
  assert.deepEqual((await listFolderFiles(plain)).map((f) => f.path).sort(), expected)

  const repo = await tree(files)
  t.after(() => rm(repo, { recursive: true, force: true }))
  execFileSync('git', ['init', '-q', repo])
  assert.deepEqual((await listFolderFiles(repo)).map((f) => f.path).sort(), expected)
})

test('the manifest round-trips and its source id ignores modification times', () => {
  const entry = { sha256: 'a'.repeat(64), size: 3, mtimeMs: 1000, mode: '644' }
  const text = `${manifestLine('b c.txt', entry)}\n${manifestLine('a', { ...entry, mode: '755' })}\n`
  const manifest = parseManifest(text)
  assert.deepEqual(manifest.get('b c.txt'), entry)
  const touched = parseManifest(text.replaceAll('\t1000\t', '\t2000\t'))
  assert.equal(sourceId(touched), sourceId(manifest))
  // The same bytes the server hashes: `cut -f 1,4,5 | sha256sum` over the sorted manifest.
  const server = execFileSync(
    'sh',
    ['-c', 'LC_ALL=C sort -t "$(printf \'\\t\')" -k 5 | cut -f 1,4,5 | sha256sum | cut -c 1-64'],
    {
      input: text,
      encoding: 'utf8',
    },
  ).trim()
  assert.equal(sourceId(manifest), server)
})

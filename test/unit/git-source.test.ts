/**
 * Git sources: the URLs, branches and commits accepted (in TypeScript, and the same decisions in the
 * server's sh), GitHub's shipped host keys against its published fingerprints, and deploy keys.
 */
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import ssh2 from 'ssh2'
import { deployKeyPair } from '../../src-main/core/apps/deploy-key'
import { fingerprint } from '../../src-main/core/ssh/fingerprint'
import {
  BRANCH,
  GIT_URL,
  isSshGitUrl,
  validateBranch,
  validateCommit,
  validateGitUrl,
} from '../../src-main/core/source/git-source'
import { failsWith } from '../support/user-error'
import { unavailable } from '../support/test-server'

const SCRIPTS = fileURLToPath(new URL('../../remote-scripts', import.meta.url))

const URLS = {
  good: [
    'https://github.com/owner/repo.git',
    'https://git.example.com:8443/team/app',
    'git@github.com:owner/repo.git',
    'github.com:owner/repo',
    'deploy@host.example:/srv/git/app.git',
    'ssh://git@github.com/owner/repo.git',
    'ssh://helvetia-test@127.0.0.1:2222/tmp/x/app.git',
    '/srv/git/app.git',
    'file:///srv/git/app.git',
  ],
  bad: [
    '',
    '-u/tmp/x',
    '--upload-pack=touch',
    'ext::sh -c touch% /tmp/pwned',
    'ext::touch',
    'fd::17',
    'http://example.com/repo.git',
    'git://example.com/repo.git',
    'foo://example.com/repo',
    'https://example.com',
    'relative/path',
    'repo.git',
    'https://x/y;id',
    'https://x/$(id)',
    'https://x/y\n',
    'host::path',
  ],
}
const BRANCHES = {
  good: ['main', 'release/2.1', 'feature_x', 'v1.0', '1-hotfix'],
  bad: [
    '',
    '-main',
    'a..b',
    'a//b',
    'a/',
    'a.',
    'x.lock',
    'a/.b',
    '.hidden',
    'a b',
    'a~1',
    'a^',
    'a:b',
    'a@{1}',
  ],
}

/** The decisions of remote-scripts/lib/git-source.sh, 1 (accepted) or 0 per value. */
function shellAccepts(check: 'require_git_url' | 'require_branch', values: string[]): boolean[] {
  const program =
    '. ./lib/progress.sh; . ./lib/rules.sh; . ./lib/validate.sh; . ./lib/deploy-common.sh; . ./lib/git-source.sh; ' +
    'check=$1; shift; for x; do if ( "$check" "$x" ) >/dev/null 2>&1; then echo 1; else echo 0; fi; done'
  const out = execFileSync('sh', ['-c', program, 'sh', check, ...values], { cwd: SCRIPTS, encoding: 'utf8' })
  return out
    .trim()
    .split('\n')
    .map((line) => line === '1')
}

test('git URLs: https, SSH and paths on the server; no other transport, no option, no helper', () => {
  for (const url of URLS.good) assert.equal(validateGitUrl(url), url)
  for (const url of URLS.bad) assert.throws(() => validateGitUrl(url), failsWith('INVALID_OPTION'), url)
  assert.throws(() => validateGitUrl('https://user:token@github.com/o/r.git'), /password or token/)
  assert.deepEqual(URLS.good.map(isSshGitUrl), [false, false, true, true, true, true, true, false, false])
})

test('…and the server decides as TypeScript does', () => {
  const values = [...URLS.good, ...URLS.bad.filter((url) => !url.includes('\n') && url !== '')]
  assert.deepEqual(
    shellAccepts('require_git_url', values),
    values.map((url) => URLS.good.includes(url)),
  )
  const branches = [...BRANCHES.good, ...BRANCHES.bad.filter((b) => b !== '')]
  assert.deepEqual(
    shellAccepts('require_branch', branches),
    branches.map((b) => BRANCHES.good.includes(b)),
  )
})

test('branches and commits', () => {
  for (const branch of BRANCHES.good) assert.equal(validateBranch(branch), branch)
  for (const branch of BRANCHES.bad) {
    assert.throws(() => validateBranch(branch), failsWith('INVALID_OPTION'), branch)
  }
  assert.equal(validateCommit('a'.repeat(40)), 'a'.repeat(40))
  for (const commit of ['abc1234', 'A'.repeat(40), 'g'.repeat(40), 'a'.repeat(41), 'HEAD']) {
    assert.throws(
      () => validateCommit(commit),
      failsWith('INVALID_OPTION', (e) => assert.match(e.hint ?? '', /40/)),
    )
  }
})

test('the shell holds the same patterns', () => {
  const pattern = (file: string, name: string) =>
    new RegExp(`^${name}='([^']*)'$`, 'm').exec(readFileSync(join(SCRIPTS, file), 'utf8'))?.[1]
  assert.equal(`^(?:${pattern('lib/rules.sh', 'GIT_URL_PATTERN')})$`, GIT_URL.source)
  assert.equal(`^(?:${pattern('lib/rules.sh', 'BRANCH_PATTERN')})$`, BRANCH.source)
})

test("the shipped GitHub host keys have GitHub's published fingerprints", () => {
  const program = '. ./lib/git-source.sh; github_known_hosts'
  const lines = execFileSync('sh', ['-c', program], { cwd: SCRIPTS, encoding: 'utf8' }).trim().split('\n')
  const keys = lines.map((line) => {
    const [host = '', type = '', blob = ''] = line.split(' ')
    return { host, type, fingerprint: fingerprint(Buffer.from(blob, 'base64')) }
  })
  // As published in GitHub's docs ("GitHub's SSH key fingerprints") and api.github.com/meta.
  assert.deepEqual(keys, [
    {
      host: 'github.com',
      type: 'ssh-ed25519',
      fingerprint: 'SHA256:+DiY3wvvV6TuJJhbpZisF/zLDA0zPMSvHdkr4UvCOqU',
    },
    {
      host: 'github.com',
      type: 'ecdsa-sha2-nistp256',
      fingerprint: 'SHA256:p2QAMXNIC1TJYWeIOttrVc98/R1BUFWu3/LiyKgUfQM',
    },
    {
      host: 'github.com',
      type: 'ssh-rsa',
      fingerprint: 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s',
    },
  ])
})

test('deploy keys: generated ed25519, or a given OpenSSH key without a passphrase', (t) => {
  const generated = deployKeyPair({ generate: true }, 'helvetia-deploy-web')
  assert.match(generated.publicKey, /^ssh-ed25519 [A-Za-z0-9+/=]+ helvetia-deploy-web$/)
  assert.match(generated.privateKey, /^-----BEGIN OPENSSH PRIVATE KEY-----/)

  const dir = mkdtempSync(join(tmpdir(), 'helvetia-deploy-key-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const keygen = (name: string, passphrase: string) =>
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', 'me', '-f', join(dir, name)])
  const plain = keygen('plain', '')
  if ((plain.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    return unavailable(t, 'ssh-keygen', 'not installed (apt-get install openssh-client)')
  }
  assert.equal(plain.status, 0, String(plain.stderr))
  assert.equal(keygen('locked', 'secret').status, 0)
  const given = deployKeyPair({ privateKey: readFileSync(join(dir, 'plain'), 'utf8') }, 'helvetia-deploy-web')
  const [type, blob] = readFileSync(join(dir, 'plain.pub'), 'utf8').split(' ')
  assert.equal(given.publicKey, `${type} ${blob} helvetia-deploy-web`)
  assert.ok(!(ssh2.utils.parseKey(given.privateKey) instanceof Error))

  assert.throws(
    () => deployKeyPair({ privateKey: readFileSync(join(dir, 'locked'), 'utf8') }, 'c'),
    failsWith('DEPLOY_KEY_ENCRYPTED'),
  )
  assert.throws(
    () => deployKeyPair({ privateKey: readFileSync(join(dir, 'plain.pub'), 'utf8') }, 'c'),
    failsWith('KEY_UNREADABLE'),
  )
  assert.throws(() => deployKeyPair({ privateKey: 'not a key' }, 'c'), failsWith('KEY_UNREADABLE'))
})

import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import type { SshConfigHost } from '../../src-main/api/contract'
import { readSshConfig } from '../../src-main/core/ssh/ssh-config'

/** A fake home with ~/.ssh/config (and other files under ~/.ssh) holding these texts. */
function home(t: TestContext, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'helvetia-sshcfg-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, '.ssh', name)
    mkdirSync(join(path, '..'), { recursive: true })
    writeFileSync(path, text)
  }
  return dir
}

const read = (dir: string): Promise<SshConfigHost[]> => readSshConfig({ home: dir, localUser: 'me' })

const host = (alias: string, fields: Partial<SshConfigHost> = {}): SshConfigHost => ({
  alias,
  host: alias,
  port: 22,
  user: null,
  identityFile: null,
  proxyJump: null,
  ...fields,
})

test('Host blocks with concrete aliases, with their settings; wildcard-only blocks are defaults', async (t) => {
  const dir = home(t, {
    config: `
# My servers
Host web
  HostName web.example.com
  Port 2222
  User deploy
  IdentityFile ~/.ssh/id_web

Host db db-alias !never
    hostname=10.0.0.5
    ProxyJump bastion

Host *.internal
  User ops

Host *
  User fallback
  IdentityFile ~/.ssh/id_default
`,
  })
  assert.deepEqual(await read(dir), [
    host('web', {
      host: 'web.example.com',
      port: 2222,
      user: 'deploy',
      identityFile: join(dir, '.ssh/id_web'),
    }),
    host('db', {
      host: '10.0.0.5',
      user: 'fallback',
      identityFile: join(dir, '.ssh/id_default'),
      proxyJump: 'bastion',
    }),
    host('db-alias', {
      host: '10.0.0.5',
      user: 'fallback',
      identityFile: join(dir, '.ssh/id_default'),
      proxyJump: 'bastion',
    }),
  ])
})

test('the first value wins, across blocks, as in OpenSSH', async (t) => {
  const dir = home(t, {
    config: `
User early
Host app
  Port 2200
Host app
  Port 2300
  User late
`,
  })
  assert.deepEqual(await read(dir), [host('app', { port: 2200, user: 'early' })])
})

test('% tokens and ~ in IdentityFile and HostName; ProxyJump none; quoted values', async (t) => {
  const dir = home(t, {
    config: `
Host box
  HostName %h.example.com
  User "alice"
  IdentityFile "~/keys/%r@%h %u %d %%"
  ProxyJump none
Host nouser
  IdentityFile %d/.ssh/%r
`,
  })
  const [box, nouser] = await read(dir)
  assert.deepEqual(
    box,
    host('box', {
      host: 'box.example.com',
      user: 'alice',
      identityFile: join(dir, `keys/alice@box.example.com me ${dir} %`),
    }),
  )
  // With no User the remote user is the local one, as ssh would log in.
  assert.equal(nouser?.identityFile, join(dir, '.ssh/me'))
})

test('Include is followed, relative to ~/.ssh, with wildcards in the file name', async (t) => {
  const dir = home(t, {
    config: `
Include conf.d/*.conf
Host main
  User root
Host scoped
  Include extra
  Port 2022
`,
    'conf.d/a.conf': 'Host from-a\n  Port 1001\n',
    'conf.d/b.conf': 'Host from-b\n  HostName b.example.com\n',
    'conf.d/ignored.txt': 'Host not-included\n',
    extra: 'User scoped-user\n',
  })
  assert.deepEqual(await read(dir), [
    host('from-a', { port: 1001 }),
    host('from-b', { host: 'b.example.com' }),
    host('main', { user: 'root' }),
    // The included lines belong to the block they were included in, and so does what follows.
    host('scoped', { user: 'scoped-user', port: 2022 }),
  ])
})

test('Match blocks are left out; an invalid port falls back to 22', async (t) => {
  const dir = home(t, {
    config: `
Host a
  Port notaport
Match host a
  User from-match
Host b
`,
  })
  assert.deepEqual(await read(dir), [host('a'), host('b')])
})

test('a missing config has no hosts', async (t) => {
  assert.deepEqual(await read(home(t, {})), [])
  assert.deepEqual(
    await readSshConfig({ path: '/nonexistent/config', home: '/nonexistent', localUser: 'me' }),
    [],
  )
})

/**
 * Logins with a password, against a real sshd of the test's own (test/support/throwaway-sshd.ts; the
 * shared test sshds take keys only): sshd's own `password` method, PAM's `keyboard-interactive` (how
 * most servers ask for a password), and `server add --generate-key` over a one-time password, after
 * which Helvetia logs in with the key it installed.
 */
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import type { ServerSummary } from '../../src-main/api/contract'
import { createHostKeyPolicy } from '../../src-main/core/ssh/host-key-policy'
import { SshConnection } from '../../src-main/core/ssh/ssh-connection'
import { addServerArgs, helvetia } from '../support/cli'
import { tempHome } from '../support/temp-home'
import { throwawaySshd, type LoginMethod, type ThrowawaySshd } from '../support/throwaway-sshd'
import { failsWith } from '../support/user-error'

function passwordLogin(t: TestContext, sshd: ThrowawaySshd, password: string): SshConnection {
  const connection = new SshConnection({
    host: sshd.host,
    port: sshd.port,
    user: sshd.user,
    auth: { kind: 'password', password },
    hostKey: createHostKeyPolicy({ pinned: sshd.hostKeyFingerprint, knownHostsPath: '/nonexistent' }),
  })
  t.after(() => connection.close())
  return connection
}

for (const [method, accepted] of [
  ['password', 'password'],
  ['keyboard-interactive', 'keyboard-interactive/pam'],
] as const satisfies [LoginMethod, string][]) {
  test(`a password login where sshd offers only ${method}`, async (t) => {
    const sshd = await throwawaySshd(t, { methods: [method] })
    if (!sshd) return
    const result = await passwordLogin(t, sshd, sshd.password).exec('id -un')
    assert.deepEqual(result, { code: 0, stdout: `${sshd.user}\n`, stderr: '' })
    assert.match(sshd.log(), new RegExp(`Accepted ${accepted} for ${sshd.user} `))

    await assert.rejects(
      passwordLogin(t, sshd, `${sshd.password}x`).exec('true'),
      failsWith('SSH_AUTH_FAILED', (error) =>
        assert.equal(error.message, `${sshd.user}@127.0.0.1:${sshd.port} refused the password.`),
      ),
    )
  })
}

test('server add --generate-key installs its own key over a one-time password, then logs in with it', async (t) => {
  const sshd = await throwawaySshd(t, { methods: ['password', 'publickey'] })
  if (!sshd) return
  const home = tempHome(t)
  const before = sshd.authorizedKeys()
  const added = await helvetia(
    home,
    addServerArgs(sshd, 'box', '--generate-key', '--password-stdin', '--json'),
    `${sshd.password}\n`,
  )
  assert.equal(added.code, 0, added.stderr)
  assert.equal((JSON.parse(added.stdout) as ServerSummary).auth, 'generated-key')
  assert.ok(!`${added.stdout}${added.stderr}`.includes(sshd.password), 'the password is not printed')

  // One new line in authorized_keys: Helvetia's own key, named for the server.
  const after = sshd.authorizedKeys()
  assert.ok(after.startsWith(before))
  assert.match(after.slice(before.length), /^ssh-ed25519 [A-Za-z0-9+/=]+ helvetia@box\n$/)
  // The password installed it; the key proved itself before the server was stored.
  assert.match(sshd.log(), new RegExp(`Accepted password for ${sshd.user} `))
  assert.match(sshd.log(), new RegExp(`Accepted publickey for ${sshd.user} .*ED25519`))

  // Later commands log in with the generated key (from the keychain), not with the password: the
  // check's login is in sshd's log (waited for), and no password login came with it.
  const count = (pattern: RegExp) => (sshd.log().match(pattern) ?? []).length
  const [passwords, keys] = [count(/Accepted password/g), count(/Accepted publickey/g)]
  const check = await helvetia(home, ['server', 'check', 'box', '--json'])
  assert.equal(check.code, 0, check.stderr)
  await sshd.logged(/Accepted publickey/g, keys + 1)
  assert.equal(count(/Accepted password/g), passwords)
})

/**
 * The relay on the user's server installed a second time (`helvetia relay install` again, as a newer
 * Helvetia does) keeps what the first one had: its token, its registered hooks and their secrets, its
 * delivery log. And the push agent comes back after a reboot through what the install set up for it:
 * the user's crontab `@reboot` line.
 *
 * The test server has no cron, and installing it would change what the other tests (run at the same
 * time) find there; so the core reaches the server through an sshd of this test's own whose PATH starts
 * with a stand-in `crontab` that keeps the table in a file, as cron keeps it in its spool. A reboot
 * cannot be done here either: it is played honestly by killing the agent and running the table's
 * `@reboot` command the way cron runs it at boot (sh -c, cron's bare environment, no terminal).
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { RelayInstallProgress } from '../../src-main/api/contract'
import { relayTokenAccount, webhookSecretAccount } from '../../src-main/core/vault/accounts'
import { sh } from '../../src-main/core/shell/quote'
import { openDatabase } from '../../src-main/core/store/database'
import { postWebhook, pushPayload } from '../support/relay'
import { until } from '../support/until'
import { throwawaySshd } from '../support/throwaway-sshd'
import { prefixedCore } from './core-support'
import { busyboxApp, deployTestbed } from './deploy-support'

const CRONTAB_STAND_IN = `#!/bin/sh
# Stand-in for cron's crontab (the test server has no cron): the table is the file beside this one.
table=$(dirname "$0")/table
case $* in
  -l) if [ -f "$table" ]; then cat "$table"; else echo "no crontab for $(id -un)" >&2; exit 1; fi ;;
  -) cat >"$table" ;;
  *) echo "crontab stand-in: $* is not supported" >&2; exit 2 ;;
esac
`

test('the relay installed again keeps its token and data; the push agent comes back at boot', async (t) => {
  const bed = await deployTestbed(t)
  if (!bed) return
  bed.cleanup(sh`docker volume rm ${`${bed.prefix}-relay-data`} >/dev/null 2>&1; true`)
  const bin = (await bed.run('mktemp -d')).trim()
  bed.cleanup(sh`rm -rf ${bin}`)
  await bed.run(sh`cat >${`${bin}/crontab`} && chmod 755 ${`${bin}/crontab`}`, CRONTAB_STAND_IN)
  const sshd = await throwawaySshd(t, {
    methods: ['publickey'],
    testUser: true,
    env: { PATH: `${bin}:/usr/local/bin:/usr/bin:/bin` },
  })
  if (!sshd) return
  const { core, home } = prefixedCore(t, bed.prefix)
  await core.servers.add({
    name: 'relay-box',
    host: sshd.host,
    port: sshd.port,
    user: sshd.user,
    auth: 'key-file',
    identityFile: sshd.keyPath,
    fingerprint: sshd.hostKeyFingerprint,
  })
  const relayDir = `.${bed.prefix}/relay`
  const onServer = (command: string) => bed.run(command).then((out) => out.trim())
  const agentPid = () => onServer(sh`cat "$HOME"/${`${relayDir}/agent.pid`}`)
  /** Whether `pid` is a push agent that runs. */
  const isAgent = async (pid: string) =>
    (await bed.target.exec(sh`grep -q push-agent /proc/${pid}/cmdline`)).code === 0
  // Whichever agent runs last: the second install's or the one the "boot" started.
  bed.cleanup(sh`kill "$(cat "$HOME"/${`${relayDir}/agent.pid`})" 2>/dev/null; true`)

  const relayHost = `relay.${bed.prefix}.test`
  const install = async () => {
    const progress: RelayInstallProgress[] = []
    const installing = core.api['push:install-relay'](
      { server: 'relay-box', domain: `http://${relayHost}`, baseImage: bed.server.images.node },
      new AbortController().signal,
    )
    for await (const event of installing) progress.push(event)
    const last = progress.at(-1)
    assert.ok(last?.type === 'installed', `the install ends with the relay: ${JSON.stringify(last)}`)
    return last.relay
  }

  const first = await install()
  t.after(() => core.vault.delete(relayTokenAccount(first.url)))
  assert.equal(first.agentStartsAtBoot, true, 'crontab is there (the stand-in)')
  const token = await core.vault.get(relayTokenAccount(first.url))
  assert.ok(token)
  const envFile = await onServer(sh`cat "$HOME"/${`${relayDir}/env`}`)
  assert.equal(envFile, `HELVETIA_RELAY_TOKEN=${token}`)

  core.apps.create({
    name: 'keptweb',
    server: 'relay-box',
    source: { kind: 'folder', path: await bed.folder(busyboxApp(bed.server.images.busybox, 'kept\n')) },
    port: 8080,
  })
  const hook = await core.push.connectWebhook('keptweb', { relay: first.url })
  t.after(async () => {
    const db = openDatabase(home)
    const id = db.prepare<[], { id: string }>("SELECT id FROM apps WHERE name = 'keptweb'").get()?.id
    db.close()
    if (id) await core.vault.delete(webhookSecretAccount(id))
  })
  const post = () =>
    postWebhook(hook.url.replace(`http://${relayHost}`, `http://127.0.0.1:${bed.httpPort}`), {
      secret: hook.secret,
      body: pushPayload('refs/heads/main'),
      host: relayHost,
    })
  assert.equal((await post()).status, 202)
  const firstAgent = await agentPid()

  // Installed again: a new container and agent, the same token, hooks and delivery log.
  const second = await install()
  assert.equal(second.url, first.url)
  assert.equal(await core.vault.get(relayTokenAccount(first.url)), token, 'the token in the keychain')
  assert.equal(await onServer(sh`cat "$HOME"/${`${relayDir}/env`}`), envFile, 'the token on the server')
  assert.equal((await post()).status, 202, 'the hook and its secret are still known')
  assert.deepEqual(
    (await core.push.deliveries('keptweb')).map((d) => d.status),
    ['received', 'received'],
    'the delivery from before the second install is still in the log',
  )
  // The relay still takes the stored token: a new connection is made with it.
  await core.push.connectWebhook('keptweb', { relay: first.url })

  // One @reboot line for this prefix, however often the relay is installed.
  const table = await onServer(sh`cat ${`${bin}/table`}`)
  const boot = table.split('\n').filter((line) => line.includes(`# helvetia-push-agent ${bed.prefix}`))
  assert.equal(boot.length, 1, table)
  const [, command = ''] = /^@reboot (.*)$/.exec(boot[0] ?? '') ?? []
  assert.ok(command, table)

  // The "reboot": the agent dies with the machine...
  const before = await agentPid()
  assert.notEqual(before, firstAgent, 'the second install started its own agent')
  assert.ok(await isAgent(before))
  await bed.run(sh`kill ${before}`)
  await until('the agent to end', 30_000, async () => ((await isAgent(before)) ? undefined : true))
  // ...and cron, at boot, runs the table's command: sh -c, its own bare environment, no terminal.
  await bed.run(
    sh`env -i HOME="$HOME" LOGNAME="$(id -un)" SHELL=/bin/sh PATH=/usr/bin:/bin setsid sh -c ${command} </dev/null >/dev/null 2>&1 &`,
  )
  const after = await until('the agent started at boot to take over', 30_000, async () => {
    const pid = await agentPid()
    return pid !== before && (await isAgent(pid)) ? pid : undefined
  })
  assert.ok(after)
})

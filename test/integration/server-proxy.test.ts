/**
 * What is provisioned on a server, as the core remembers it: read from the test server (the proxy
 * container and its configuration) after provisioning, on a facts check and on each connection, and
 * cached on this computer between reads.
 */
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { test } from 'node:test'
import type { ServerSummary } from '../../src-main/api/contract'
import type { Core } from '../../src-main/core/create-core'
import { sh } from '../../src-main/core/shell/quote'
import { openDatabase } from '../../src-main/core/store/database'
import { createServerStore } from '../../src-main/core/store/server-store'
import { testCore } from './core-support'
import { freePorts, provisionTestbed } from './provision-support'
import { deployTestbed } from './deploy-support'

const summaryOf = (core: Core, name: string): ServerSummary => {
  const summary = core.servers.list().find((server) => server.name === name)
  assert.ok(summary, `${name} is listed`)
  return summary
}

test('provisioning stores the proxy; a check reads it again, and finds it gone once removed behind our back', async (t) => {
  const bed = provisionTestbed(t)
  if (!bed) return
  const { core, serverName } = await testCore(t, bed)
  assert.equal(summaryOf(core, serverName).proxy, null, 'nothing known of a server just added')
  await core.servers.check(serverName)
  assert.equal(summaryOf(core, serverName).proxy, null, 'no proxy runs under this prefix yet')

  const [httpPort = 0, httpsPort = 0] = await freePorts(2)
  const before = new Date().toISOString()
  const result = await core.servers.provision(
    {
      name: serverName,
      proxy: 'caddy',
      proxyImage: bed.server.images.caddy,
      httpPort,
      httpsPort,
      bind: '127.0.0.1',
      email: 'ops@example.com',
    },
    () => {},
  )
  const proxy = summaryOf(core, serverName).proxy
  assert.ok(proxy, 'provisioned: a proxy')
  assert.deepEqual(
    { ...proxy, checkedAt: 'then' },
    {
      kind: 'caddy',
      httpPort,
      httpsPort,
      acmeEmail: true,
      checkedAt: 'then',
    },
  )
  assert.ok(proxy.checkedAt >= before, `${proxy.checkedAt} is after ${before}`)
  assert.deepEqual(result.proxy, proxy, 'provisioning reports what it read back')
  assert.deepEqual(await core.api['servers:list'](), core.servers.list(), 'the API lists the same')

  // Provisioned again without the email: the server's configuration says so.
  await core.servers.provision(
    {
      name: serverName,
      proxy: 'caddy',
      proxyImage: bed.server.images.caddy,
      httpPort,
      httpsPort,
      bind: '127.0.0.1',
    },
    () => {},
  )
  assert.equal(summaryOf(core, serverName).proxy?.acmeEmail, false)

  // Removed behind the desktop's back: the cache holds until the server is read again.
  await bed.run(sh`docker rm -f ${`${bed.prefix}-proxy`}`)
  assert.equal(summaryOf(core, serverName).proxy?.kind, 'caddy')
  const changed = once(core.changes, 'servers')
  await core.servers.check(serverName)
  await changed
  assert.equal(summaryOf(core, serverName).proxy, null)
})

test('a connection reads what runs on the server, and it is kept in the data folder', async (t) => {
  const bed = await deployTestbed(t)
  if (!bed) return
  const { httpPort, httpsPort } = bed

  // Provisioned from elsewhere (another computer, the CLI): this core has not read it yet.
  const { core, serverName, home } = await testCore(t, bed)
  assert.equal(summaryOf(core, serverName).proxy, null)
  // Any work on the server connects; the connection reads the proxy beside it, in the background
  // (bounded, so a missing read fails rather than hangs).
  const changed = once(core.changes, 'servers', { signal: AbortSignal.timeout(60_000) })
  const target = core.servers.targetFor(core.servers.get(serverName))
  assert.equal((await target.exec('echo hi')).stdout, 'hi\n')
  await changed
  assert.deepEqual(
    { ...summaryOf(core, serverName).proxy, checkedAt: 'then' },
    { kind: 'caddy', httpPort, httpsPort, acmeEmail: false, checkedAt: 'then' },
  )

  // Kept in the data folder: read again from there, without connecting.
  const db = openDatabase(home)
  t.after(() => db.close())
  assert.deepEqual(createServerStore(db).get(serverName)?.proxy, summaryOf(core, serverName).proxy)
})

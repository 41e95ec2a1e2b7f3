/**
 * The relay installed on a server in one click: the server page's panel, through the real core, on
 * the test server (built from the test server's offline Node image, behind its Caddy proxy).
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sh } from '../../src-main/core/shell/quote'
import { coreTestbed } from '../integration/core-support'
import { openDashboard } from './dashboard'
import { relayTokenAccount } from '../../src-main/core/vault/accounts'

test('the server page installs the push relay and shows where it listens', async (t) => {
  const bed = await coreTestbed(t)
  if (!bed) return
  const dashboard = await openDashboard(t, { core: bed.core })
  if (!dashboard) return
  const { page } = dashboard
  const relayHost = `relay.${bed.prefix}.test`
  bed.cleanup(sh`docker volume rm ${`${bed.prefix}-relay-data`} >/dev/null 2>&1; true`)
  t.after(() => bed.core.vault.delete(relayTokenAccount(`http://${relayHost}`)))

  await page.goto(`${dashboard.web.url}#/servers/${bed.serverName}`)
  const panel = page.getByRole('region', { name: 'Push to deploy relay' })
  await panel.getByLabel('Domain').fill(`http://${relayHost}`)
  await panel.getByLabel('Node image').fill(bed.server.images.node)
  await panel.getByRole('button', { name: 'Install relay' }).click()
  await panel
    .getByRole('status')
    .filter({ hasText: `Relay running at http://${relayHost}` })
    .waitFor({
      timeout: 240_000,
    })
  assert.ok((await panel.getByRole('listitem').count()) > 0, 'the install showed its steps')
  const agentPid = (await bed.run(sh`cat "$HOME"/${`.${bed.prefix}/relay/agent.pid`}`)).trim()
  bed.cleanup(sh`kill ${agentPid} 2>/dev/null; true`)

  // GitHub's side: the relay answers on its domain through the server's proxy.
  const health = await bed.get(relayHost, '/healthz')
  assert.equal(health.status, 200)
})

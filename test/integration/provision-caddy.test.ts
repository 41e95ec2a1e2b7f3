/**
 * Provisioning with Caddy against the test server: the proxy comes up from the offline Caddy image,
 * published on 127.0.0.1 only, answers, and a second run is a no-op.
 */
import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { test } from 'node:test'
import type { ProvisionEvent } from '../../src-main/api/contract'
import { UserError } from '../../src-main/core/errors'
import { proxyConfig } from '../../src-main/core/provision/provision'
import { resolveProxyOptions, type ProxyInput } from '../../src-main/core/proxy/proxy-options'
import { sh } from '../../src-main/core/shell/quote'
import { freePorts, provisionTestbed } from './provision-support'

const statuses = (events: ProvisionEvent[]) =>
  Object.fromEntries(
    events.flatMap((e) => (e.type === 'step' && e.status !== 'running' ? [[e.step, e.status]] : [])),
  )

test('Caddy: provisioning brings the proxy up, it answers, and a second run changes nothing', async (t) => {
  const bed = provisionTestbed(t)
  if (!bed) return
  const [httpPort = 0, httpsPort = 0] = await freePorts(2)
  const input: ProxyInput = {
    proxy: 'caddy',
    proxyImage: bed.server.images.caddy,
    httpPort,
    httpsPort,
    bind: '127.0.0.1',
    email: 'ops@example.com',
    prefix: bed.prefix,
  }

  const events: ProvisionEvent[] = []
  const first = await bed.provisioner.provision(bed.target, input, (event) => events.push(event))
  assert.equal(first.changed, true)
  assert.equal(first.facts.privilege, 'none', 'the test user has neither root nor sudo')
  assert.match(first.facts.dockerVersion ?? '', /^\d+\./)
  assert.deepEqual(statuses(events), {
    facts: 'done',
    docker: 'skipped',
    'log-rotation': 'skipped',
    network: 'done',
    'proxy-config': 'done',
    proxy: 'done',
    'proxy-health': 'done',
  })
  assert.deepEqual(events.at(-1), { type: 'done', ...first })

  const response = await fetch(`http://127.0.0.1:${httpPort}/`)
  assert.equal(response.headers.get('server'), 'Caddy')
  assert.equal(response.status, 404)
  assert.equal(await response.text(), 'No app is published at this address.')
  const health = await fetch(`http://127.0.0.1:${httpPort}/.well-known/helvetia/health`)
  assert.deepEqual([health.status, await health.text()], [200, 'ok'])

  const container = await bed.inspect(`${bed.prefix}-proxy`)
  assert.equal(container.Config.Labels['dev.helvetia.managed'], 'true')
  assert.match(container.Config.Labels['dev.helvetia.config-hash'] ?? '', /^[0-9a-f]{64}$/)
  assert.deepEqual(container.HostConfig.LogConfig, {
    Type: 'json-file',
    Config: { 'max-size': '10m', 'max-file': '3' },
  })
  assert.deepEqual(container.HostConfig.PortBindings, {
    [`${httpPort}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: String(httpPort) }],
    [`${httpsPort}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: String(httpsPort) }],
  })
  assert.equal(container.HostConfig.RestartPolicy.Name, 'unless-stopped')
  assert.deepEqual(Object.keys(container.NetworkSettings.Networks), [bed.prefix])
  const mounts = Object.fromEntries(container.Mounts.map((m) => [m.Destination, m]))
  assert.equal(mounts['/etc/caddy']?.RW, false)
  assert.equal(mounts['/data']?.Name, `${bed.prefix}-caddy-data`)
  const written = await bed.run(sh`cat "$HOME"/${`.${bed.prefix}/proxy/caddy/etc/Caddyfile`}`)
  assert.equal(written, proxyConfig(resolveProxyOptions(input)))

  const again: ProvisionEvent[] = []
  const second = await bed.provisioner.provision(bed.target, input, (event) => again.push(event))
  assert.equal(second.changed, false)
  assert.deepEqual(statuses(again), {
    facts: 'done',
    docker: 'skipped',
    'log-rotation': 'skipped',
    network: 'skipped',
    'proxy-config': 'skipped',
    proxy: 'skipped',
    'proxy-health': 'done',
  })
  const after = await bed.inspect(`${bed.prefix}-proxy`)
  assert.equal(after.Id, container.Id)
  assert.equal(after.State.StartedAt, container.State.StartedAt, 'not restarted either')
})

test('Caddy: changed options recreate the proxy; a taken port is refused before the proxy is touched', async (t) => {
  const bed = provisionTestbed(t)
  if (!bed) return
  const [httpPort = 0, httpsPort = 0, otherHttpsPort = 0] = await freePorts(3)
  const input: ProxyInput = {
    proxy: 'caddy',
    proxyImage: bed.server.images.caddy,
    httpPort,
    httpsPort,
    bind: '127.0.0.1',
    prefix: bed.prefix,
  }
  await bed.provisioner.provision(bed.target, input)
  const before = await bed.inspect(`${bed.prefix}-proxy`)

  const moved = await bed.provisioner.provision(bed.target, { ...input, httpsPort: otherHttpsPort })
  assert.equal(moved.changed, true)
  const recreated = await bed.inspect(`${bed.prefix}-proxy`)
  assert.notEqual(recreated.Id, before.Id)
  assert.ok(recreated.HostConfig.PortBindings[`${otherHttpsPort}/tcp`])
  assert.equal((await fetch(`http://127.0.0.1:${httpPort}/`)).headers.get('server'), 'Caddy')

  // Something else holds the port asked for.
  const squatter = createServer()
  await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>((resolve) => squatter.close(() => resolve())))
  const taken = (squatter.address() as { port: number }).port
  await assert.rejects(bed.provisioner.provision(bed.target, { ...input, httpPort: taken }), (error) => {
    assert.ok(error instanceof UserError)
    assert.equal(error.code, 'PORT_TAKEN')
    assert.match(error.message, new RegExp(`Port ${taken} is already in use`))
    assert.match(error.hint ?? '', /--http-port/)
    return true
  })
  const untouched = await bed.inspect(`${bed.prefix}-proxy`)
  assert.equal(untouched.Id, recreated.Id)
  assert.equal(untouched.State.Running, true)
})

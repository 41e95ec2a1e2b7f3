/**
 * Provisioning with Traefik against the test server. Traefik itself cannot run here: no image can be
 * pulled and none can be built offline. So the test builds a stand-in from the busybox image, a
 * `traefik` that sleeps and answers `traefik healthcheck` once its configuration is mounted, and
 * checks in detail everything Helvetia writes and creates around it: the configuration file, the
 * container's command, mounts (the Docker socket read-only), labels, log rotation, ports and network.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { proxyConfig } from '../../src-main/core/provision/provision'
import { resolveProxyOptions, type ProxyInput } from '../../src-main/core/proxy/proxy-options'
import { sh } from '../../src-main/core/shell/quote'
import { freePorts, provisionTestbed } from './provision-support'

const STAND_IN = [
  '#!/bin/sh',
  '# A stand-in for Traefik: healthy once its static configuration, with ping, is mounted.',
  'if [ "$1" = healthcheck ]; then exec grep -q "^ping:" /etc/traefik/traefik.yml; fi',
  'exec sleep 2147483647',
]

test('Traefik: the configuration, the container around it, and a second run that changes nothing', async (t) => {
  const bed = provisionTestbed(t)
  if (!bed) return
  const image = `helvetia-test/traefik-stand-in:${bed.prefix}`
  const dockerfile = [
    `FROM ${bed.server.images.busybox}`,
    `RUN mkdir -p /usr/local/bin && printf '%s\\n' ${STAND_IN.map((line) => sh`${line}`).join(' ')} > /usr/local/bin/traefik && chmod 755 /usr/local/bin/traefik`,
  ].join('\n')
  await bed.run(sh`docker build -q -t ${image} - >/dev/null`, dockerfile)
  bed.cleanup(sh`docker rmi ${image}`)

  const [httpPort = 0, httpsPort = 0] = await freePorts(2)
  const input: ProxyInput = {
    proxy: 'traefik',
    proxyImage: image,
    httpPort,
    httpsPort,
    bind: '127.0.0.1',
    email: 'ops@example.com',
    prefix: bed.prefix,
  }
  const first = await bed.provisioner.provision(bed.target, input)
  assert.equal(first.changed, true)

  const etc = `.${bed.prefix}/proxy/traefik/etc`
  const written = await bed.run(sh`cat "$HOME"/${`${etc}/traefik.yml`}`)
  assert.equal(written, proxyConfig(resolveProxyOptions(input)))
  for (const line of [
    '          to: "websecure"',
    '      email: "ops@example.com"',
    '      storage: "/data/acme.json"',
    `    network: "${bed.prefix}"`,
    '    exposedByDefault: false',
    '    directory: "/etc/traefik/dynamic"',
    '  dashboard: false',
    '  insecure: false',
    'ping:',
  ]) {
    assert.ok(written.split('\n').includes(line), `${line} in:\n${written}`)
  }
  assert.equal(await bed.run(sh`test -d "$HOME"/${`${etc}/dynamic`} && echo yes`), 'yes\n')

  const container = await bed.inspect(`${bed.prefix}-proxy`)
  assert.deepEqual(container.Config.Cmd, ['traefik', '--configFile=/etc/traefik/traefik.yml'])
  assert.equal(container.Config.Labels['dev.helvetia.managed'], 'true')
  assert.deepEqual(container.Config.Healthcheck?.Test, ['CMD-SHELL', 'traefik healthcheck --ping'])
  assert.deepEqual(container.HostConfig.LogConfig, {
    Type: 'json-file',
    Config: { 'max-size': '10m', 'max-file': '3' },
  })
  assert.deepEqual(Object.keys(container.NetworkSettings.Networks), [bed.prefix])
  for (const port of [httpPort, httpsPort]) {
    assert.deepEqual(container.HostConfig.PortBindings[`${port}/tcp`], [
      { HostIp: '127.0.0.1', HostPort: String(port) },
    ])
  }
  const mounts = Object.fromEntries(container.Mounts.map((m) => [m.Destination, m]))
  assert.equal(mounts['/var/run/docker.sock']?.RW, false, 'the Docker socket is mounted read-only')
  assert.equal(mounts['/var/run/docker.sock']?.Source, '/var/run/docker.sock')
  assert.equal(mounts['/etc/traefik']?.RW, false)
  assert.match(mounts['/etc/traefik']?.Source ?? '', new RegExp(`/\\.${bed.prefix}/proxy/traefik/etc$`))
  assert.equal(mounts['/data']?.Name, `${bed.prefix}-traefik-data`)
  assert.equal(mounts['/data']?.RW, true)

  const second = await bed.provisioner.provision(bed.target, input)
  assert.equal(second.changed, false)
  assert.equal((await bed.inspect(`${bed.prefix}-proxy`)).Id, container.Id)
})

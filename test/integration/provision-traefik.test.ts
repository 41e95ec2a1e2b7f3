/**
 * Provisioning with Traefik against the test server. Traefik itself cannot run here: no image can be
 * pulled and none can be built offline. So the test builds a stand-in from the busybox image, a
 * `traefik` that sleeps and answers `traefik healthcheck` once its configuration is mounted, and
 * checks in detail everything Helvetia writes and creates around it: the configuration file, the
 * container's command, mounts (no Docker socket), labels, log rotation, ports and network, and the
 * route file a deploy puts beside the HTTPS redirect in the watched dynamic folder.
 *
 * That a container's `traefik.*` labels cannot take a route can only be shown here by what makes it
 * so: the static configuration has no Docker provider and the real proxy container has no Docker
 * socket, so Traefik has no way to read labels (a running Traefik would be the stronger test).
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { parseDomain } from '../../src-main/core/deploy/app-spec'
import { createDeployer } from '../../src-main/core/deploy/deployer'
import { upstreamHost } from '../../src-main/core/deploy/deploy-request'
import { traefikRoute } from '../../src-main/core/deploy/proxy-routes'
import { proxyConfig } from '../../src-main/core/provision/provision'
import { resolveProxyOptions, type ProxyInput } from '../../src-main/core/proxy/proxy-options'
import { HTTPS_REDIRECT_MIDDLEWARE, traefikConfig } from '../../src-main/core/proxy/traefik'
import { toYaml } from '../../src-main/core/proxy/yaml'
import { ScriptRunner } from '../../src-main/core/remote/script-runner'
import { sh } from '../../src-main/core/shell/quote'
import { busyboxApp, writeFiles } from './deploy-support'
import { freePorts, provisionTestbed, type Testbed } from './provision-support'

/** What provision.sh writes to dynamic/_https-redirect.yml (the middleware proxy-routes.ts names). */
const redirectFile = (httpsPort: number) =>
  [
    '# Written by Helvetia; changes here are overwritten on provisioning.',
    'http:',
    '  middlewares:',
    `    ${HTTPS_REDIRECT_MIDDLEWARE}:`,
    '      redirectScheme:',
    '        scheme: "https"',
    `        port: "${httpsPort}"`,
    '        permanent: true',
    '',
  ].join('\n')

const SCRIPTS_DIR = fileURLToPath(new URL('../../remote-scripts', import.meta.url))

const STAND_IN = [
  '#!/bin/sh',
  '# A stand-in for Traefik: healthy once its static configuration, with ping, is mounted.',
  'if [ "$1" = healthcheck ]; then exec grep -q "^ping:" /etc/traefik/traefik.yml; fi',
  'exec sleep 2147483647',
]

/** Builds the stand-in image (removed after the test) and the provisioning input that uses it. */
async function traefikStandIn(bed: Testbed): Promise<ProxyInput> {
  const image = `helvetia-test/traefik-stand-in:${bed.prefix}`
  const dockerfile = [
    `FROM ${bed.server.images.busybox}`,
    `RUN mkdir -p /usr/local/bin && printf '%s\\n' ${STAND_IN.map((line) => sh`${line}`).join(' ')} > /usr/local/bin/traefik && chmod 755 /usr/local/bin/traefik`,
  ].join('\n')
  await bed.run(sh`docker build -q -t ${image} - >/dev/null`, dockerfile)
  bed.cleanup(sh`docker rmi ${image}`)
  const [httpPort = 0, httpsPort = 0] = await freePorts(2)
  return {
    proxy: 'traefik',
    proxyImage: image,
    httpPort,
    httpsPort,
    bind: '127.0.0.1',
    email: 'ops@example.com',
    prefix: bed.prefix,
  }
}

test('Traefik: the configuration, the container around it, and a second run that changes nothing', async (t) => {
  const bed = provisionTestbed(t)
  if (!bed) return
  const input = await traefikStandIn(bed)
  const { httpPort = 0, httpsPort = 0 } = input
  const first = await bed.provisioner.provision(bed.target, input)
  assert.equal(first.changed, true)

  const etc = `.${bed.prefix}/proxy/traefik/etc`
  const written = await bed.run(sh`cat "$HOME"/${`${etc}/traefik.yml`}`)
  assert.equal(written, proxyConfig(resolveProxyOptions(input)))
  for (const line of [
    `    address: ":${httpPort}"`,
    '      email: "ops@example.com"',
    '      storage: "/data/acme.json"',
    '    directory: "/etc/traefik/dynamic"',
    '  dashboard: false',
    '  insecure: false',
    'ping:',
  ]) {
    assert.ok(written.split('\n').includes(line), `${line} in:\n${written}`)
  }
  assert.doesNotMatch(written, /redirections/, 'no entry point redirect: http:// apps stay plain')
  assert.equal(
    await bed.run(sh`cat "$HOME"/${`${etc}/dynamic/_https-redirect.yml`}`),
    redirectFile(httpsPort),
    'the redirect HTTPS apps use, to the provisioned HTTPS port',
  )

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
  assert.doesNotMatch(written, /docker/i, 'no Docker provider: routes come from files only')
  const mounts = Object.fromEntries(container.Mounts.map((m) => [m.Destination, m]))
  assert.deepEqual(Object.keys(mounts).sort(), ['/data', '/etc/traefik'], 'no Docker socket')
  assert.equal(mounts['/etc/traefik']?.RW, false)
  assert.match(mounts['/etc/traefik']?.Source ?? '', new RegExp(`/\\.${bed.prefix}/proxy/traefik/etc$`))
  assert.equal(mounts['/data']?.Name, `${bed.prefix}-traefik-data`)
  assert.equal(mounts['/data']?.RW, true)

  const second = await bed.provisioner.provision(bed.target, input)
  assert.equal(second.changed, false)
  assert.equal((await bed.inspect(`${bed.prefix}-proxy`)).Id, container.Id)
})

test('Traefik: a server provisioned with the entry point redirect of old gets the new configuration once', async (t) => {
  const bed = provisionTestbed(t)
  if (!bed) return
  const input = await traefikStandIn(bed)
  const options = resolveProxyOptions(input)
  // What provisioning wrote before http:// domains: every request on web redirected to websecure.
  const config = traefikConfig(options)
  const redirections = { entryPoint: { to: 'websecure', scheme: 'https', permanent: true } }
  const before = toYaml({
    ...config,
    entryPoints: { ...config.entryPoints, web: { ...config.entryPoints.web, http: { redirections } } },
  })
  const scripts = new ScriptRunner({
    scriptsDir: fileURLToPath(new URL('../../remote-scripts', import.meta.url)),
  })
  const args = ['--proxy', 'traefik', '--image', options.image, '--http-port', String(options.httpPort)]
  args.push('--https-port', String(options.httpsPort), '--bind', options.bind, '--prefix', options.prefix)
  await scripts.run(bed.target, 'provision.sh', { args, stdin: before })
  const etc = `"$HOME"/${`.${bed.prefix}/proxy/traefik/etc`}`
  await bed.run(`rm ${etc}/dynamic/_https-redirect.yml`)
  const old = await bed.inspect(`${bed.prefix}-proxy`)

  const upgrade = await bed.provisioner.provision(bed.target, input)
  assert.equal(upgrade.changed, true)
  assert.equal(await bed.run(`cat ${etc}/traefik.yml`), proxyConfig(options))
  assert.equal(await bed.run(`cat ${etc}/dynamic/_https-redirect.yml`), redirectFile(options.httpsPort))
  const upgraded = await bed.inspect(`${bed.prefix}-proxy`)
  assert.notEqual(upgraded.Id, old.Id, 'the proxy runs with the new configuration')
  assert.notEqual(
    upgraded.Config.Labels['dev.helvetia.config-hash'],
    old.Config.Labels['dev.helvetia.config-hash'],
  )

  const again = await bed.provisioner.provision(bed.target, input)
  assert.equal(again.changed, false)
  assert.equal((await bed.inspect(`${bed.prefix}-proxy`)).Id, upgraded.Id)
})

test("Traefik: a deploy writes the app's exact route file beside the redirect it names", async (t) => {
  const bed = provisionTestbed(t)
  if (!bed) return
  const input = await traefikStandIn(bed)
  await bed.provisioner.provision(bed.target, input)
  bed.cleanup(
    sh`docker ps -aq --filter label=dev.helvetia.prefix=${bed.prefix} | xargs -r docker rm -f -v >/dev/null; ` +
      sh`docker images --format '{{.Repository}}:{{.Tag}}' | grep ${`^${bed.prefix}/`} | xargs -r docker rmi >/dev/null; ` +
      sh`docker network rm ${bed.prefix} >/dev/null 2>&1; true`,
  )
  const folder = await mkdtemp(join(tmpdir(), 'helvetia-traefik-app-'))
  t.after(() => rm(folder, { recursive: true, force: true }))
  await writeFiles(folder, busyboxApp(bed.server.images.busybox, 'hello\n'))
  // HTTPS hosts only: the stand-in serves nothing, so the deploy's check through the proxy is the
  // route it loaded (for Traefik, its file), not a request.
  const domains = ['secure.example.com', 'https://www.example.com']
  const deployer = createDeployer({
    scripts: new ScriptRunner({ scriptsDir: SCRIPTS_DIR }),
    prefix: bed.prefix,
  })
  const deployment = await deployer.deploy(bed.target, {
    app: { name: 'site', port: 8080, domains, health: { path: '/index.html', intervalS: 1 } },
    source: { kind: 'folder', path: folder },
    serverAddress: '127.0.0.1',
  })
  assert.equal(deployment.status, 'succeeded', JSON.stringify(deployment))

  const dynamic = `"$HOME"/${`.${bed.prefix}/proxy/traefik/etc/dynamic`}`
  assert.deepEqual((await bed.run(`ls ${dynamic}`)).split('\n').filter(Boolean), [
    '_https-redirect.yml',
    'site.yml',
  ])
  const route = traefikRoute({
    app: 'site',
    deploymentId: deployment.id,
    domains: domains.map(parseDomain),
    upstream: `${upstreamHost('site', deployment.id)}:8080`,
  })
  assert.equal(await bed.run(`cat ${dynamic}/site.yml`), route)
  assert.match(route, new RegExp(`"middlewares": \\[\\s*"${HTTPS_REDIRECT_MIDDLEWARE}"\\s*\\]`))
})

test('Traefik: a proxy provisioned with the Docker socket mounted is replaced by one without', async (t) => {
  const bed = provisionTestbed(t)
  if (!bed) return
  const input = await traefikStandIn(bed)
  await bed.provisioner.provision(bed.target, input)
  // What provisioning ran before: the same container with the socket mounted (and its own hash).
  const name = `${bed.prefix}-proxy`
  await bed.run(
    sh`docker rm -f -v ${name} >/dev/null && docker run -d --name ${name} --label dev.helvetia.managed=true ` +
      sh`--label dev.helvetia.role=proxy --label ${`dev.helvetia.config-hash=${'0'.repeat(64)}`} ` +
      sh`--network ${bed.prefix} --volume /var/run/docker.sock:/var/run/docker.sock:ro ` +
      sh`--volume ${`${bed.prefix}-traefik-data:/data`} ${input.proxyImage ?? ''} traefik --configFile=/etc/traefik/traefik.yml >/dev/null`,
  )
  const old = await bed.inspect(name)
  assert.ok(old.Mounts.some((m) => m.Destination === '/var/run/docker.sock'))

  const again = await bed.provisioner.provision(bed.target, input)
  assert.equal(again.changed, true)
  const replaced = await bed.inspect(name)
  assert.notEqual(replaced.Id, old.Id)
  assert.equal(replaced.State.Running, true)
  assert.deepEqual(replaced.Mounts.map((m) => m.Destination).sort(), ['/data', '/etc/traefik'])
})

/**
 * A server provisioned from nothing, through the real CLI: a fresh Debian 12 container (sshd, apt,
 * curl, no Docker; test/server/fresh-host-image.sh) added with its pinned host key and a root login,
 * provisioned in one run (Docker installed, with log rotation in the daemon settings, and the proxy
 * pulled and started), an app deployed from a folder and fetched through the proxy, then provisioned
 * again: nothing changes.
 *
 * Docker's install script cannot be downloaded here, so the provisioner falls back to Debian's
 * docker.io (the test expects the script where get.docker.com resolves). The server pulls the proxy
 * image and the app's base image as a real one would, from a registry: a private one on 127.0.0.1 of
 * this machine (fresh-host-support.ts), which the server reaches at the same address through an SSH
 * remote forward.
 */
import assert from 'node:assert/strict'
import { lookup } from 'node:dns/promises'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import type { ServerFacts } from '../../src-main/api/contract'
import type { ProvisionResult } from '../../src-main/core/provision/provision'
import { helvetia } from '../support/cli'
import { tempHome } from '../support/temp-home'
import { testServer } from '../support/test-server'
import { busyboxApp, get, writeFiles } from './deploy-support'
import { freshHostImage, startFreshHost, startRegistry } from './fresh-host-support'

const DAEMON_JSON = '{ "log-driver": "json-file", "log-opts": { "max-size": "10m", "max-file": "3" } }\n'

test('a fresh Debian server: Docker installed, proxy up, an app deployed and answering; again: nothing changes', async (t) => {
  const server = testServer(t)
  const image = server && freshHostImage(t)
  if (!server || !image) return
  const started = Date.now()
  const registry = await startRegistry(t, [server.images.caddy, server.images.busybox])
  const host = await startFreshHost(t, image, server)
  await host.forward(registry.port)
  const home = tempHome(t)
  const run = async (args: string[]) => {
    // A fresh server gets Helvetia's default names, as a user's would.
    const result = await helvetia(home, args, '', { HELVETIA_PREFIX: '' })
    assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`)
    return result
  }
  const provision = [
    ...[
      'server',
      'provision',
      'fresh',
      '--proxy',
      'caddy',
      '--proxy-image',
      registry.ref(server.images.caddy),
    ],
    ...['--http-port', '80', '--https-port', '443'],
  ]

  await run([
    ...['server', 'add', 'fresh', '--host', '127.0.0.1', '--port', String(host.sshPort), '--user', 'root'],
    ...['--identity', server.keyPath, '--fingerprint', host.fingerprint],
  ])
  const before = JSON.parse((await run(['server', 'check', 'fresh', '--json'])).stdout) as ServerFacts
  assert.deepEqual([before.os, before.privilege, before.dockerVersion], ['debian', 'root', null])
  assert.notEqual((await host.shell('command -v docker')).code, 0, 'no docker before')
  assert.equal((await host.shell('test -e /etc/docker')).code, 1, 'no daemon settings before')

  // 1. Docker goes in, and the proxy comes up: its image pulled from the registry.
  const first = await run([...provision, '--json'])
  assert.equal((JSON.parse(first.stdout) as ProvisionResult).changed, true)
  const download =
    /Downloading https:\/\/get\.docker\.com to (\/tmp\/helvetia-get-docker\.[A-Za-z0-9]{10})\n/.exec(
      first.stderr,
    )
  assert.ok(download, first.stderr)
  const scriptReachable = await lookup('get.docker.com').then(
    () => true,
    () => false,
  )
  assert.match(
    first.stderr,
    scriptReachable
      ? /✓ Installed Docker \d+\.\S+ from Docker's convenience script/
      : /Could not download https:\/\/get\.docker\.com; installing Docker from docker\.io from debian's package archive \(apt-get\) instead\n[^]*✓ Installed Docker \d+\.\S+ from docker\.io from debian's package archive/,
  )
  assert.equal((await host.shell('ls /tmp/helvetia-get-docker.*')).code, 2, 'no installer left behind')
  assert.equal((await host.shell('cat /etc/docker/daemon.json')).stdout, DAEMON_JSON)
  const engine = await host.shell("docker info --format '{{.LoggingDriver}} {{.Driver}}'")
  assert.match(engine.stdout, /^json-file \w+\n$/)
  assert.ok(first.stderr.includes(`Pulling ${registry.ref(server.images.caddy)}`), first.stderr)
  assert.match(first.stderr, /Started helvetia-proxy/)
  const proxy = await get(host.httpPort, 'nothing.test')
  assert.deepEqual(proxy, { status: 404, body: 'No app is published at this address.' })

  // 2. An app from a folder, its base image pulled from the registry, through the proxy.
  const folder = await mkdtemp(join(tmpdir(), 'helvetia-fresh-app-'))
  t.after(() => rm(folder, { recursive: true, force: true }))
  await writeFiles(folder, busyboxApp(registry.ref(server.images.busybox), 'hello from a fresh server\n'))
  await run([
    ...['app', 'create', 'web', '--server', 'fresh', '--path', folder, '--port', '8080'],
    ...['--domain', 'http://web.test', '--health-path', '/index.html'],
  ])
  const deploy = await run(['deploy', 'web', '--json'])
  assert.equal(JSON.parse(deploy.stdout).status, 'succeeded')
  assert.deepEqual(await get(host.httpPort, 'web.test'), { status: 200, body: 'hello from a fresh server\n' })
  const proxyBefore = (await host.shell("docker inspect -f '{{.Id}} {{.State.StartedAt}}' helvetia-proxy"))
    .stdout

  // 3. Again: nothing changes, and the provisioner says so.
  const again = await run(provision)
  assert.match(again.stdout, /^Already provisioned; nothing changed on fresh\./)
  assert.match(again.stderr, /Docker \d+\.\S+ is installed/)
  assert.doesNotMatch(again.stderr, /Installing|Installed|Started|Restarted|Wrote/)
  assert.equal(
    (await host.shell("docker inspect -f '{{.Id}} {{.State.StartedAt}}' helvetia-proxy")).stdout,
    proxyBefore,
    'the proxy was not restarted',
  )
  assert.equal((await host.shell('cat /etc/docker/daemon.json')).stdout, DAEMON_JSON)
  assert.deepEqual(await get(host.httpPort, 'web.test'), { status: 200, body: 'hello from a fresh server\n' })
  t.diagnostic(
    `a fresh server provisioned, deployed to and provisioned again in ${Math.round((Date.now() - started) / 1000)}s`,
  )
})

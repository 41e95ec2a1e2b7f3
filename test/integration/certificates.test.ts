/**
 * Certificate status through the real core against the test server's Caddy: an app with a
 * `.localhost` HTTPS domain gets a certificate from Caddy's local CA (untrusted, valid dates), its
 * `http://` domain is not checked, a name Caddy has no certificate for is pending, and a server
 * without the proxy gives every domain an error that says what to do. Every check goes through the
 * server's one SSH connection to the proxy's port there.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { CertificateStatus, DeployProgress } from '../../src-main/api/contract'
import { checkCertificates } from '../../src-main/core/certs/certificates'
import { ScriptRunner } from '../../src-main/core/remote/script-runner'
import { APP_ROOT } from '../support/temp-home'
import { coreTestbed } from './core-support'
import { busyboxApp } from './deploy-support'

const scripts = new ScriptRunner({ scriptsDir: `${APP_ROOT}/remote-scripts` })

test('apps:certificates: Caddy’s local CA for .localhost, http:// left out, pending and missing proxy', async (t) => {
  const bed = await coreTestbed(t)
  if (!bed) return
  const { api } = bed.core
  const folder = await bed.folder(busyboxApp(bed.server.images.busybox, 'hello\n'))
  await api['apps:create']({
    name: 'certs',
    server: bed.serverName,
    source: { kind: 'folder', path: folder },
    port: 8080,
    domains: ['http://certs.test', 'certs.localhost'],
    healthPath: '/index.html',
  })
  let last: DeployProgress | undefined
  for await (const event of api['apps:deploy']({ name: 'certs' }, new AbortController().signal)) last = event
  assert.equal(last?.type === 'done' && last.deployment.status, 'succeeded', JSON.stringify(last))

  // Caddy issues the local certificate in the background after the reload: a bounded wait for it.
  let certificates: CertificateStatus[] = []
  for (let attempt = 0; attempt < 40; attempt++) {
    certificates = await api['apps:certificates']({ name: 'certs' })
    if (certificates[0]?.state !== 'pending') break
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  assert.equal(certificates.length, 1, 'only the HTTPS domain')
  const [local] = certificates
  assert.ok(local)
  assert.equal(local.domain, 'certs.localhost')
  assert.equal(local.state, 'untrusted', local.message)
  assert.equal(local.proxy, 'caddy')
  assert.equal(local.issuer, 'Caddy Local Authority - ECC Intermediate')
  assert.deepEqual(local.altNames, ['certs.localhost'])
  assert.ok(local.validTo && Date.parse(local.validTo) > Date.now(), local.validTo ?? 'no validTo')
  assert.ok(local.validFrom && Date.parse(local.validFrom) <= Date.now())
  assert.equal(local.daysLeft, Math.floor((Date.parse(local.validTo) - Date.now()) / 86_400_000))
  assert.match(local.message, /^Issued by Caddy Local Authority - ECC Intermediate, Caddy's own CA/)

  // A name no site claims: Caddy aborts the handshake with an internal_error alert. (No app gets
  // such a domain here: Caddy would then ask Let's Encrypt for it, beyond loopback.)
  const target = bed.core.servers.targetFor(bed.core.servers.get(bed.serverName))
  const checked = await checkCertificates(target, ['certs.localhost', 'nowhere.test'], {
    scripts,
    prefix: bed.prefix,
  })
  assert.deepEqual(
    checked.map((c) => [c.domain, c.state, c.proxy]),
    [
      ['certs.localhost', 'untrusted', 'caddy'],
      ['nowhere.test', 'pending', 'caddy'],
    ],
  )
  assert.match(checked[1]?.message ?? '', /^The proxy has no certificate for nowhere\.test yet\./)
  assert.equal(checked[1]?.validTo, null)

  // No proxy under this prefix: every domain says so, none throws.
  const missing = await checkCertificates(target, ['a.localhost', 'b.localhost'], {
    scripts,
    prefix: `${bed.prefix}-none`,
  })
  assert.deepEqual(
    missing.map((c) => [c.domain, c.state, c.proxy]),
    [
      ['a.localhost', 'error', null],
      ['b.localhost', 'error', null],
    ],
  )
  assert.match(
    missing[0]?.message ?? '',
    new RegExp(
      `^The proxy container ${bed.prefix}-none-proxy is not running on this server\\. Provision the server`,
    ),
  )
})

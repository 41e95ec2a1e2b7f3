import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { assertSafeBind, isLoopback, isOwnHost } from '../../src-main/web/web-access'
import { failsWith } from '../support/user-error'

test('plain HTTP only on loopback, unless TLS or --insecure', () => {
  for (const host of ['127.0.0.1', '127.0.0.2', '::1', '[::1]', 'localhost', 'LOCALHOST']) {
    assert.equal(isLoopback(host), true, host)
    assertSafeBind(host, { tls: false, insecure: false })
  }
  for (const host of [
    '0.0.0.0',
    '::',
    '192.168.1.5',
    '10.0.0.1',
    'localhost.evil.example',
    '::ffff:7f00:1',
  ]) {
    assert.equal(isLoopback(host), false, host)
    assert.throws(() => assertSafeBind(host, { tls: false, insecure: false }), failsWith('WEB_NEEDS_TLS'))
    assertSafeBind(host, { tls: true, insecure: false })
    assertSafeBind(host, { tls: false, insecure: true })
  }
})

test('the Host header must name the bound address and port', () => {
  const loopback = { host: '127.0.0.1', port: 8080, certificate: null }
  for (const ok of ['127.0.0.1:8080', 'localhost:8080', 'LocalHost:8080']) {
    assert.equal(isOwnHost(ok, loopback), true, ok)
  }
  for (const bad of [
    undefined,
    '',
    'evil.example:8080',
    '127.0.0.1.evil.example:8080',
    '127.0.0.1:8081',
    '127.0.0.1',
    '192.168.1.5:8080',
    'user@127.0.0.1:8080',
    '127.0.0.1:8080/x',
    '127.0.0.1:8080 ',
  ]) {
    assert.equal(isOwnHost(bad, loopback), false, String(bad))
  }
  const v6 = { host: '::1', port: 80, certificate: null }
  assert.equal(isOwnHost('[::1]', v6), true, 'port 80 is implied over http')
  assert.equal(isOwnHost('[::1]:80', v6), true)
  assert.equal(isOwnHost('[::2]', v6), false)
  // On every interface (with TLS or --insecure): any address literal, never a name.
  const wildcard = { host: '0.0.0.0', port: 8080, certificate: null }
  assert.equal(isOwnHost('192.168.1.5:8080', wildcard), true)
  assert.equal(isOwnHost('[fe80::1]:8080', wildcard), true)
  assert.equal(isOwnHost('evil.example:8080', wildcard), false)
})

test('over TLS, the names the certificate covers are the server’s too', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'helvetia-web-access-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  // prettier-ignore
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=dash.example.com', '-addext', 'subjectAltName=DNS:dash.example.com,IP:192.168.1.5',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' })
  const certificate = new X509Certificate(readFileSync(join(dir, 'cert.pem')))
  const listening = { host: '0.0.0.0', port: 443, certificate }
  assert.equal(isOwnHost('dash.example.com', listening), true, 'port 443 is implied over https')
  assert.equal(isOwnHost('dash.example.com:443', listening), true)
  assert.equal(isOwnHost('dash.example.com:8443', listening), false)
  assert.equal(isOwnHost('evil.example', listening), false)
  assert.equal(isOwnHost('192.168.1.5', { ...listening, host: '192.168.1.5' }), true)
})

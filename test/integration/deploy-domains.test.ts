/**
 * An app's domains through Caddy on the test server: an `http://` domain is served over plain HTTP,
 * a bare one over HTTPS, its HTTP requests redirected to HTTPS. The HTTPS domain is a `.localhost`
 * name, for which Caddy issues its certificate from its own local CA, so nothing asks Let's Encrypt
 * (the test sends no traffic beyond loopback).
 */
import assert from 'node:assert/strict'
import { request as httpRequest } from 'node:http'
import { request } from 'node:https'
import { test } from 'node:test'
import { busyboxApp, deployTestbed } from './deploy-support'

/** GET https://127.0.0.1:PORT/ with `host` as the TLS server name and Host header; any certificate. */
function httpsGet(port: number, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        servername: host,
        headers: { Host: host },
        rejectUnauthorized: false,
        timeout: 5000,
      },
      (res) => {
        let body = ''
        res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
        res.on('error', reject)
      },
    )
    req.on('timeout', () => req.destroy(new Error('timed out')))
    req.on('error', reject)
    req.end()
  })
}

test('Caddy: an http:// domain is served plain, a bare one over HTTPS with HTTP redirected to it', async (t) => {
  const bed = await deployTestbed(t)
  if (!bed) return
  const folder = await bed.folder(busyboxApp(bed.server.images.busybox, 'hello\n'))
  const deployment = await bed.deployer.deploy(bed.target, {
    app: {
      name: 'site',
      port: 8080,
      domains: ['http://plain.test', 'secure.localhost'],
      health: { path: '/index.html', intervalS: 1 },
    },
    source: { kind: 'folder', path: folder },
    serverAddress: '127.0.0.1',
  })
  assert.equal(deployment.status, 'succeeded', JSON.stringify(deployment))

  assert.deepEqual(await bed.get('plain.test'), { status: 200, body: 'hello\n' })

  const bindings = (await bed.inspect(`${bed.prefix}-proxy`)).HostConfig.PortBindings
  const httpsPort = Object.keys(bindings)
    .map((key) => Number.parseInt(key, 10))
    .find((port) => port !== bed.httpPort)
  assert.ok(httpsPort)
  const redirect = await new Promise<{ status: number; location?: string }>((resolve, reject) => {
    const headers = { Host: 'secure.localhost' }
    httpRequest({ host: '127.0.0.1', port: bed.httpPort, path: '/index.html', headers }, (res) => {
      res.resume()
      resolve({ status: res.statusCode ?? 0, location: res.headers.location })
    })
      .on('error', reject)
      .end()
  })
  assert.equal(redirect.status, 308)
  // Caddy leaves its own https_port out of the redirect on purpose (it may be behind a port forward;
  // caddyserver/caddy#2422): a browser goes to 443, which is where a real server publishes it.
  assert.equal(redirect.location, 'https://secure.localhost/index.html')

  // Caddy issues the local certificate in the background after the reload: a bounded wait for it.
  let secure: { status: number; body: string } | Error = new Error('not tried')
  for (let attempt = 0; attempt < 40; attempt++) {
    secure = await httpsGet(httpsPort, 'secure.localhost').catch((error: Error) => error)
    if (!(secure instanceof Error)) break
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  assert.deepEqual(secure, { status: 200, body: 'hello\n' })
})

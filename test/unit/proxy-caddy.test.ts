import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { CADDY_HEALTH_PATH, caddyfile } from '../../src-main/core/proxy/caddy'
import { caddyAdapt } from '../support/caddy'

const options = { httpPort: 80, httpsPort: 443, email: 'ops@example.com' }

test('the Caddyfile: ACME email, admin API on localhost, ports, catch-all with health, app sites', () => {
  assert.equal(
    caddyfile(options),
    [
      '# Written by Helvetia; changes here are overwritten on provisioning. Apps live in sites/.',
      '{',
      '\temail ops@example.com',
      '\tadmin localhost:2019',
      '\thttp_port 80',
      '\thttps_port 443',
      '}',
      '',
      '# Any request no site claims, and the health check.',
      'http:// {',
      '\trespond /.well-known/helvetia/health "ok" 200',
      '\trespond "No app is published at this address." 404',
      '}',
      '',
      'import /etc/caddy/sites/*.caddy',
      '',
    ].join('\n'),
  )
  assert.doesNotMatch(caddyfile({ ...options, email: null }), /email/)
  assert.match(
    caddyfile({ ...options, httpPort: 8080, httpsPort: 8443 }),
    /\thttp_port 8080\n\thttps_port 8443\n/,
  )
})

test('provision.sh checks the health path the Caddyfile answers', () => {
  const script = readFileSync(
    fileURLToPath(new URL('../../remote-scripts/provision.sh', import.meta.url)),
    'utf8',
  )
  assert.ok(script.includes(`$http_port${CADDY_HEALTH_PATH}"`))
})

test('Caddy itself accepts the Caddyfile and applies the email to app sites (when caddy is installed)', async (t) => {
  const json = await caddyAdapt(t, options, { 'app.caddy': 'app.example.com {\n\trespond "app"\n}\n' })
  if (!json) return
  assert.equal(json.admin.listen, 'localhost:2019')
  assert.equal(json.apps.http.http_port, 80)
  const servers = Object.values(json.apps.http.servers) as {
    listen: string[]
    routes: { match?: unknown }[]
  }[]
  const https = servers.find((server) => server.listen.includes(':443'))
  assert.deepEqual(https?.routes[0]?.match, [{ host: ['app.example.com'] }])
  assert.equal(json.apps.tls.automation.policies[0].issuers[0].email, 'ops@example.com')
})

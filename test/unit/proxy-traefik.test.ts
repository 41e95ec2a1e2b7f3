import assert from 'node:assert/strict'
import { test } from 'node:test'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { HTTPS_REDIRECT_MIDDLEWARE, traefikConfig, traefikYaml } from '../../src-main/core/proxy/traefik'
import { toYaml } from '../../src-main/core/proxy/yaml'

const options = { httpPort: 80, httpsPort: 443, email: 'ops@example.com', prefix: 'helvetia' }

test('web redirects nothing by itself (http:// apps stay plain); apps default to HTTPS with Let’s Encrypt', () => {
  const { entryPoints } = traefikConfig(options)
  assert.deepEqual(entryPoints.web, { address: ':80' })
  assert.deepEqual(entryPoints.websecure, {
    address: ':443',
    asDefault: true,
    http: { tls: { certResolver: 'letsencrypt' } },
  })
})

test('provision.sh writes the redirect middleware HTTPS routes name, with the provisioned HTTPS port', () => {
  const script = readFileSync(
    fileURLToPath(new URL('../../remote-scripts/provision.sh', import.meta.url)),
    'utf8',
  )
  assert.ok(script.includes(`'    ${HTTPS_REDIRECT_MIDDLEWARE}:' '      redirectScheme:'`))
  assert.ok(script.includes(`"        port: \\"$https_port\\""`))
})

test('ACME: the email, storage in the data volume, HTTP challenge on the web entry point', () => {
  const config = traefikConfig(options)
  assert.deepEqual(config.certificatesResolvers, {
    letsencrypt: {
      acme: { email: 'ops@example.com', storage: '/data/acme.json', httpChallenge: { entryPoint: 'web' } },
    },
  })
  const anonymous = traefikConfig({ ...options, email: null })
  assert.equal('email' in anonymous.certificatesResolvers.letsencrypt.acme, false)
})

test('providers: only the watched file folder Helvetia writes; no Docker provider, so no labels route', () => {
  const { providers } = traefikConfig(options)
  assert.deepEqual(providers, { file: { directory: '/etc/traefik/dynamic', watch: true } })
  assert.doesNotMatch(traefikYaml(options), /docker/i)
})

test('no dashboard, no insecure API; ping only on the unpublished internal entry point', () => {
  const config = traefikConfig(options)
  assert.deepEqual(config.api, { dashboard: false, insecure: false })
  assert.deepEqual(config.ping, { entryPoint: 'traefik' })
  assert.deepEqual(config.entryPoints.traefik, { address: '127.0.0.1:8080' })
  assert.deepEqual(config.log, { level: 'INFO' })
  assert.deepEqual(config.global, { checkNewVersion: false, sendAnonymousUsage: false })
})

test('other host ports move the entry points with them', () => {
  const { entryPoints } = traefikConfig({ ...options, httpPort: 8080, httpsPort: 8443 })
  assert.equal(entryPoints.web.address, ':8080')
  assert.equal(entryPoints.websecure.address, ':8443')
})

test('the YAML file', () => {
  const yaml = traefikYaml(options)
  assert.match(yaml, /^# Written by Helvetia/)
  for (const fragment of [
    'entryPoints:\n  web:\n    address: ":80"\n  websecure:\n    address: ":443"\n',
    '      email: "ops@example.com"\n      storage: "/data/acme.json"\n      httpChallenge:\n        entryPoint: "web"\n',
    '  file:\n    directory: "/etc/traefik/dynamic"\n    watch: true\n',
    'api:\n  dashboard: false\n  insecure: false\nping:\n  entryPoint: "traefik"\n',
  ]) {
    assert.ok(yaml.includes(fragment), `missing:\n${fragment}\nin:\n${yaml}`)
  }
})

test('toYaml quotes every string and key that needs it, so no value becomes YAML syntax', () => {
  assert.equal(
    toYaml({ a: { b: 'x: y\n- z', 'c d': 1, e: false, f: {} }, g: '#"' }),
    'a:\n  b: "x: y\\n- z"\n  "c d": 1\n  e: false\n  f: {}\ng: "#\\""\n',
  )
})

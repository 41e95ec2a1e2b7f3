import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseDomain } from '../../src-main/core/deploy/app-spec'
import { caddyRoute, traefikRoute, type Route } from '../../src-main/core/deploy/proxy-routes'
import { caddyAdapt } from '../support/caddy'

const route: Route = {
  app: 'web',
  deploymentId: '20250101-000000-abcd',
  domains: ['http://a.test', 'b.example.com', 'https://c.example.com'].map(parseDomain),
  upstream: 'web-20250101-000000-abcd:8080',
}

const traefikJson = (text: string) => JSON.parse(text.split('\n').slice(1).join('\n')) as TraefikFile

interface TraefikFile {
  http: { routers: Record<string, Record<string, unknown>>; services: Record<string, unknown> }
}

test('Traefik: HTTPS hosts on websecure and redirected on web, http:// hosts served plain on web', () => {
  const text = traefikRoute(route)
  assert.match(text, /^# Written by Helvetia: app web, deployment 20250101-000000-abcd\.\n\{/)
  assert.deepEqual(traefikJson(text), {
    http: {
      routers: {
        'web-https': {
          rule: 'Host(`b.example.com`) || Host(`c.example.com`)',
          entryPoints: ['websecure'],
          service: 'web',
          tls: { certResolver: 'letsencrypt' },
        },
        'web-redirect': {
          rule: 'Host(`b.example.com`) || Host(`c.example.com`)',
          entryPoints: ['web'],
          middlewares: ['https-redirect'],
          service: 'web',
        },
        'web-http': { rule: 'Host(`a.test`)', entryPoints: ['web'], service: 'web' },
      },
      services: { web: { loadBalancer: { servers: [{ url: 'http://web-20250101-000000-abcd:8080' }] } } },
    },
  })
})

test('Traefik: only the routers an app needs (no redirect without HTTPS hosts, no plain one without http://)', () => {
  const plainOnly = traefikJson(traefikRoute({ ...route, domains: [parseDomain('http://a.test')] }))
  assert.deepEqual(Object.keys(plainOnly.http.routers), ['web-http'])
  const secureOnly = traefikJson(traefikRoute({ ...route, domains: [parseDomain('b.example.com')] }))
  assert.deepEqual(Object.keys(secureOnly.http.routers), ['web-https', 'web-redirect'])
})

/**
 * The shape Traefik v3's file provider documents (its routing reference, and SchemaStore's
 * traefik-v3-file-provider.json): a router takes only these keys and needs a rule and a service; a
 * load balancer needs servers with a url. Traefik cannot run here to load the file itself.
 */
test('Traefik: every router and service has the documented v3 file-provider shape', () => {
  const ROUTER_KEYS = ['entryPoints', 'rule', 'ruleSyntax', 'priority', 'middlewares', 'service', 'tls']
  const file = traefikJson(traefikRoute(route))
  assert.deepEqual(Object.keys(file), ['http'])
  for (const [name, router] of Object.entries(file.http.routers)) {
    for (const key of Object.keys(router)) assert.ok(ROUTER_KEYS.includes(key), `${name}.${key}`)
    assert.equal(typeof router.rule, 'string', name)
    assert.ok(Object.hasOwn(file.http.services, router.service as string), `${name} names a defined service`)
    for (const list of ['entryPoints', 'middlewares'].filter((key) => key in router)) {
      assert.ok(
        (router[list] as unknown[]).every((item) => typeof item === 'string'),
        `${name}.${list}`,
      )
    }
    if (router.tls) assert.deepEqual(Object.keys(router.tls), ['certResolver'])
  }
})

test('Caddy: one site block, http:// addresses plain, bare ones HTTPS', () => {
  assert.equal(
    caddyRoute(route),
    '# Written by Helvetia: app web, deployment 20250101-000000-abcd.\n' +
      'http://a.test, b.example.com, c.example.com {\n\treverse_proxy web-20250101-000000-abcd:8080\n}\n',
  )
})

test('Caddy itself puts http:// hosts on the HTTP server and the others on HTTPS (when caddy is installed)', async (t) => {
  const json = await caddyAdapt(
    t,
    { httpPort: 8080, httpsPort: 8443, email: null },
    { 'web.caddy': caddyRoute(route) },
  )
  if (!json) return
  type Server = { listen: string[]; routes: { match?: { host?: string[] }[] }[] }
  const servers = Object.values(json.apps.http.servers) as Server[]
  const hosts = (port: number) =>
    servers
      .filter((server) => server.listen.includes(`:${port}`))
      .flatMap((server) => server.routes.flatMap((r) => r.match?.flatMap((m) => m.host ?? []) ?? []))
  assert.deepEqual(hosts(8080), ['a.test'])
  assert.deepEqual(hosts(8443).sort(), ['b.example.com', 'c.example.com'])
})

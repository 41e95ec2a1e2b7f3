/**
 * Every template of the built-in catalogue, every version: it loads (schema and compose checks), its
 * images are pinned, each `${VAR}` its compose file uses is declared, and it renders with generated
 * values to a compose file whose services, routes and volumes are the template's, with secret values
 * only where they are asked for. Then the checks themselves, each shown to refuse what it guards.
 */
import assert from 'node:assert/strict'
import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { load } from 'js-yaml'
import { createCatalog } from '../../src-main/core/catalog/catalog'
import { isPinned, variableReferences } from '../../src-main/core/catalog/compose-file'
import { renderTemplate } from '../../src-main/core/catalog/render'
import { createTemplateStore } from '../../src-main/core/catalog/template-store'
import { APP_ROOT, tempHome } from '../support/temp-home'
import { failsWith } from '../support/user-error'

const BUILTIN = join(APP_ROOT, 'resources/catalog')
const store = createTemplateStore({ builtin: BUILTIN, imported: '/nonexistent' })
const DOMAIN = { host: 'app.example.com', https: true }
type Compose = {
  services: Record<string, { image: string; volumes?: string[] }>
  volumes?: Record<string, unknown>
}

test('the catalogue has at least 25 apps, one of them in two versions', () => {
  const all = store.list()
  assert.ok(all.length >= 25, `${all.length} templates`)
  for (const id of [
    'wordpress',
    'ghost',
    'plausible',
    'umami',
    'uptime-kuma',
    'n8n',
    'gitea',
    'vaultwarden',
    'nextcloud',
    'metabase',
    'minio',
    'node-red',
    'grafana',
    'mattermost',
    'outline',
    'directus',
    'strapi',
    'nocodb',
    'appsmith',
    'meilisearch',
    'redis-insight',
    'pgadmin',
    'adminer',
    'listmonk',
    'matomo',
  ]) {
    assert.ok(
      all.some((t) => t.id === id),
      id,
    )
  }
  assert.deepEqual(store.load('umami').versions, ['1.1.0', '1.0.0'])
})

test('every template and version renders, with pinned images, declared variables, its routes and volumes', () => {
  let rendered = 0
  for (const { id, versions } of store.list()) {
    for (const version of versions) {
      const template = store.load(id, version)
      const { meta } = template
      const where = `${id} ${version}`
      const declared = new Set(meta.variables.map((v) => v.name))
      for (const ref of variableReferences(template.compose))
        assert.ok(declared.has(ref), `${where}: \${${ref}}`)
      const required = Object.fromEntries(
        meta.variables.filter((v) => !v.generator).map((v) => [v.name, `given-${v.name}`]),
      )
      const rendering = renderTemplate(template, { domain: DOMAIN, values: required })
      const revealed = load(rendering.compose('reveal')) as Compose
      for (const [name, service] of Object.entries(revealed.services)) {
        assert.ok(
          isPinned(service.image) && !/:latest$/.test(service.image),
          `${where}: ${name} runs ${service.image}`,
        )
        assert.equal(service.image, meta.images[name], `${where}: ${name}'s image`)
      }
      assert.deepEqual(
        variableReferences(rendering.compose('reveal')),
        [],
        `${where}: every variable resolved`,
      )
      for (const route of meta.ports) {
        assert.ok(revealed.services[route.service], `${where}: routed ${route.service}`)
        assert.ok(route.port > 0)
      }
      assert.equal(rendering.routes[0]?.domains[0], 'app.example.com', `${where}: routed on the app's domain`)
      for (const volume of meta.volumes) {
        assert.ok(
          revealed.services[volume.service]?.volumes?.includes(`${volume.name}:${volume.path}`),
          `${where}: ${volume.name}`,
        )
        assert.ok(volume.name in (revealed.volumes ?? {}), `${where}: volume ${volume.name} declared`)
      }
      const secrets = rendering.values.filter((v) => v.secret)
      for (const v of rendering.values) assert.ok(v.value.length > 0, `${where}: ${v.name} has a value`)
      for (const secret of secrets) {
        assert.ok(!rendering.compose('mask').includes(secret.value), `${where}: ${secret.name} masked`)
        assert.ok(
          !rendering.compose('reference').includes(secret.value),
          `${where}: ${secret.name} only referenced`,
        )
        assert.ok(
          rendering.compose('reference').includes(`\${${secret.name}}`) ||
            !template.compose.includes(`\${${secret.name}}`),
        )
      }
      rendered++
    }
  }
  assert.ok(rendered >= 26, `${rendered} renderings`)
})

test('a render takes the user’s values, keeps the kept ones, refuses unknown and missing ones', () => {
  const umami = store.load('umami', '1.1.0')
  const first = renderTemplate(umami, { domain: DOMAIN })
  const value = (r: typeof first, name: string) => r.values.find((v) => v.name === name)?.value
  const password = value(first, 'POSTGRES_PASSWORD') as string
  assert.match(password, /^[A-Za-z0-9]{32}$/)
  assert.equal(Buffer.from(value(first, 'APP_SECRET') as string, 'base64').length, 32)
  assert.equal(value(first, 'DATABASE_URL'), `postgres://umami:${password}@db:5432/umami`)
  const again = renderTemplate(umami, { domain: DOMAIN, kept: { POSTGRES_PASSWORD: password } })
  assert.equal(value(again, 'POSTGRES_PASSWORD'), password)
  const given = renderTemplate(umami, { domain: DOMAIN, values: { DISABLE_TELEMETRY: 'a"b: $c' } })
  const env = (
    load(given.compose('reveal')) as { services: { umami: { environment: Record<string, string> } } }
  ).services.umami.environment
  assert.equal(env.DISABLE_TELEMETRY, 'a"b: $$c', 'a value stays one YAML value, its $ escaped for compose')
  assert.throws(
    () => renderTemplate(umami, { domain: DOMAIN, values: { NOPE: '1' } }),
    failsWith('INVALID_OPTION', (e) => assert.equal(e.field, 'values.NOPE')),
  )
  assert.throws(
    () => renderTemplate(store.load('pgadmin'), { domain: DOMAIN }),
    failsWith('VALUE_REQUIRED', (e) => assert.equal(e.field, 'values.ADMIN_EMAIL')),
  )
})

test("a database the user gives the URL of (one of Helvetia's) replaces the template's own service", () => {
  const url = 'postgres://helvetia:pw@helvetia-db-shared:5432/umami'
  const rendering = renderTemplate(store.load('umami'), { domain: DOMAIN, values: { DATABASE_URL: url } })
  const compose = load(rendering.compose('reveal')) as Compose & {
    services: Record<string, { depends_on?: unknown }>
  }
  assert.deepEqual(Object.keys(compose.services), ['umami'])
  assert.deepEqual(compose.services.umami?.depends_on, {})
  assert.equal(compose.volumes, undefined)
  assert.deepEqual(rendering.warnings, [])
  assert.equal(
    renderTemplate(store.load('umami'), { domain: DOMAIN }).warnings.length,
    1,
    'the own service is said',
  )
})

test('the loader refuses an unpinned image, an undeclared variable, a published port and a wrong route', (t) => {
  const root = tempHome(t)
  const broken = (edit: (compose: string, meta: Record<string, unknown>) => [string, unknown]) => {
    cpSync(join(BUILTIN, 'uptime-kuma'), join(root, 'kuma'), { recursive: true })
    const dir = join(root, 'kuma', '1.0.0')
    const [compose, meta] = edit(
      readFileSync(join(dir, 'compose.yml'), 'utf8'),
      JSON.parse(readFileSync(join(dir, 'template.json'), 'utf8')) as Record<string, unknown>,
    )
    writeFileSync(join(dir, 'compose.yml'), compose)
    writeFileSync(join(dir, 'template.json'), JSON.stringify(meta))
    return () => createTemplateStore({ builtin: root, imported: '/nonexistent' }).load('kuma')
  }
  assert.ok(broken((c, m) => [c, m])().meta, 'the copy itself loads')
  const latest = (c: string, m: Record<string, unknown>): [string, unknown] => [
    c.replace(':1.23.15', ':latest'),
    { ...m, images: { 'uptime-kuma': 'louislam/uptime-kuma:latest' } },
  ]
  assert.throws(
    broken(latest),
    failsWith('TEMPLATE_INVALID', (e) => assert.match(e.message, /not pinned/)),
  )
  const untagged = (c: string, m: Record<string, unknown>): [string, unknown] => [
    c.replace(':1.23.15', ''),
    { ...m, images: { 'uptime-kuma': 'louislam/uptime-kuma' } },
  ]
  assert.throws(
    broken(untagged),
    failsWith('TEMPLATE_INVALID', (e) => assert.match(e.message, /not pinned/)),
  )
  assert.throws(
    broken((c, m) => [c.replace('restart: unless-stopped', 'restart: ${POLICY}'), m]),
    failsWith('TEMPLATE_INVALID', (e) => assert.match(e.message, /\$\{POLICY\} is used but not declared/)),
  )
  assert.throws(
    broken((c, m) => [c.replace('restart: unless-stopped', 'ports: ["80:3001"]'), m]),
    failsWith('TEMPLATE_INVALID', (e) => assert.match(e.message, /publishes ports/)),
  )
  assert.throws(
    broken((c, m) => [c, { ...m, ports: [{ service: 'web', port: 3001, domain: 'DOMAIN' }] }]),
    failsWith('TEMPLATE_INVALID', (e) => assert.match(e.message, /ports names web/)),
  )
  assert.throws(
    broken((c, m) => [c, { ...m, volumes: [] }]),
    failsWith('TEMPLATE_INVALID', (e) => assert.match(e.message, /volume data is not listed/)),
  )
  assert.throws(
    broken((c, m) => [c, { ...m, version: '2' }]),
    failsWith('TEMPLATE_INVALID', (e) => assert.match(e.message, /version/)),
  )
})

test('catalog:show and catalog:render give the API’s model, secrets masked unless revealed', (t) => {
  const catalog = createCatalog({
    appRoot: APP_ROOT,
    home: tempHome(t),
    servers: { get: () => ({ host: '203.0.113.7' }) as never },
  })
  const ghost = catalog.show('ghost')
  assert.deepEqual(
    ghost.services.map((s) => [s.name, s.routed, s.port]),
    [
      ['ghost', true, 2368],
      ['db', false, null],
    ],
  )
  assert.deepEqual(ghost.databases, [{ name: 'db', engine: 'mysql', service: 'db' }])
  assert.ok(ghost.variables.find((v) => v.name === 'DB_PASSWORD')?.secret)
  const { template, rendering } = catalog.render({ template: 'ghost', app: 'blog', server: 'web-1' })
  assert.equal(rendering.values.find((v) => v.name === 'DOMAIN')?.value, 'blog.203.0.113.7.sslip.io')
  const masked = catalog.preview(template, rendering, false)
  const secret = rendering.values.find((v) => v.name === 'DB_PASSWORD')?.value as string
  assert.ok(!JSON.stringify(masked).includes(secret), 'no secret in the masked preview')
  assert.ok(JSON.stringify(catalog.preview(template, rendering, true)).includes(secret), 'revealed')
  const plain = catalog.render({
    template: 'ghost',
    app: 'blog',
    server: 'web-1',
    domain: 'http://blog.test',
  })
  assert.deepEqual(plain.rendering.routes, [{ service: 'ghost', domains: ['http://blog.test'], port: 2368 }])
})

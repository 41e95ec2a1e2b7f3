/**
 * Imports: a Dokploy blueprint and a Coolify compose template of Umami (test/fixtures/catalog) come out
 * as the same model as Helvetia's own Umami template (services, images, routes, volumes, databases,
 * variables with their generators; names and descriptions are the source's), over a file and over
 * HTTP (a server on 127.0.0.1); kept only with save, and removed again.
 */
import assert from 'node:assert/strict'
import { cpSync, mkdirSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { readFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { test } from 'node:test'
import type { Template } from '../../src-main/api/catalog'
import { createCatalog } from '../../src-main/core/catalog/catalog'
import { parseToml } from '../../src-main/core/catalog/toml'
import { APP_ROOT, tempHome } from '../support/temp-home'
import { failsWith } from '../support/user-error'

const FIXTURES = join(APP_ROOT, 'test/fixtures/catalog')
const catalogIn = (home: string) =>
  createCatalog({ appRoot: APP_ROOT, home, servers: { get: () => ({ host: '127.0.0.1' }) as never } })

/** What must be the same whatever format a template came in. */
const model = (t: Template) => ({
  services: t.services,
  volumes: t.volumes,
  databases: t.databases,
  variables: t.variables
    .map(({ name, secret, required, generator }) => ({ name, secret, required, generator }))
    .sort((a, b) => a.name.localeCompare(b.name)),
})

test('a Dokploy blueprint and a Coolify template of Umami import as the same model as the native one', async (t) => {
  const catalog = catalogIn(tempHome(t))
  const native = model(catalog.show('umami', '1.1.0'))
  const dokploy = await catalog.import(join(FIXTURES, 'dokploy/umami'))
  const coolify = await catalog.import(join(FIXTURES, 'coolify/umami.yaml'))
  assert.deepEqual(model(dokploy), native, 'Dokploy')
  assert.deepEqual(model(coolify), native, 'Coolify')
  assert.equal(dokploy.origin, 'imported')
  assert.deepEqual(dokploy.warnings, [
    "The ports umami published are dropped: Helvetia's proxy routes to it.",
  ])
  assert.equal(
    coolify.description,
    'Umami is a lightweight, privacy-focused alternative to Google Analytics.',
  )
  assert.equal(coolify.category, 'analytics')
  assert.equal(coolify.website, 'https://umami.is/docs/getting-started')
  assert.deepEqual(
    catalog.list().filter((s) => s.origin === 'imported'),
    [],
    'nothing kept without save',
  )
})

test('an import over http(s) reads the blueprint’s two files beside each other', async (t) => {
  const server = createServer((req, res) => {
    const file = {
      '/umami/template.toml': 'dokploy/umami/template.toml',
      '/umami/docker-compose.yml': 'dokploy/umami/docker-compose.yml',
    }[req.url ?? '']
    if (!file) return void res.writeHead(404).end()
    void readFile(join(FIXTURES, file)).then((data) => res.end(data))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => server.close())
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const catalog = catalogIn(tempHome(t))
  const imported = await catalog.import(`${base}/umami/template.toml`)
  assert.deepEqual(model(imported), model(catalog.show('umami', '1.1.0')))
  await assert.rejects(catalog.import(`${base}/missing/template.toml`), failsWith('TEMPLATE_UNREADABLE'))
  await assert.rejects(catalog.import('ftp://example.com/x.yaml'), failsWith('TEMPLATE_UNREADABLE'))
})

test('save keeps an import in this computer’s catalogue until removed; a built-in id is refused', async (t) => {
  const home = tempHome(t)
  const catalog = catalogIn(home)
  await assert.rejects(
    catalog.import(join(FIXTURES, 'coolify/umami.yaml'), 'auto', true),
    failsWith('TEMPLATE_EXISTS'),
  )
  const copy = join(home, 'src', 'my-umami.yaml')
  mkdirSync(join(home, 'src'))
  cpSync(join(FIXTURES, 'coolify/umami.yaml'), copy)
  const saved = await catalog.import(copy, 'coolify', true)
  assert.equal(saved.id, 'my-umami')
  assert.deepEqual(
    catalog
      .list()
      .filter((s) => s.origin === 'imported')
      .map((s) => s.id),
    ['my-umami'],
  )
  const { rendering } = catalog.render({ template: 'my-umami', app: 'stats', server: 's' })
  assert.equal(rendering.routes[0]?.service, 'umami')
  assert.throws(() => catalog.remove('umami'), failsWith('TEMPLATE_BUILTIN'))
  catalog.remove('my-umami')
  assert.throws(() => catalog.show('my-umami'), failsWith('TEMPLATE_NOT_FOUND'))
})

test('Coolify’s magic variables become generators; what cannot be expressed is refused', async (t) => {
  const home = tempHome(t)
  const catalog = catalogIn(home)
  const write = (name: string, text: string) => {
    const path = join(home, name)
    writeFileSync(path, text)
    return path
  }
  const kuma = write(
    'kuma.yaml',
    '# port: 3001\nservices:\n  uptime-kuma:\n    image: louislam/uptime-kuma:1.23.15\n    environment:\n      - SERVICE_FQDN_UPTIME_KUMA\n      - ADMIN=$SERVICE_USER_ADMIN\n      - PASS=${SERVICE_PASSWORD_64_ADMIN}\n      - LINK=$SERVICE_URL_UPTIME_KUMA\n',
  )
  const imported = await catalog.import(kuma)
  const generator = (name: string) => imported.variables.find((v) => v.name === name)
  assert.deepEqual(generator('ADMIN_USER')?.generator, { kind: 'password', length: 16 })
  assert.equal(generator('ADMIN_USER')?.secret, false)
  assert.deepEqual(generator('ADMIN_PASSWORD')?.generator, { kind: 'password', length: 64 })
  assert.deepEqual(generator('UPTIME_KUMA_URL')?.generator, { kind: 'value', value: 'https://${DOMAIN}' })
  assert.deepEqual(imported.services[0], {
    name: 'uptime-kuma',
    image: 'louislam/uptime-kuma:1.23.15',
    port: 3001,
    routed: true,
  })
  const latest = write(
    'latest.yaml',
    '# port: 80\nservices:\n  web:\n    image: nginx\n    environment:\n      - SERVICE_FQDN_WEB\n',
  )
  await assert.rejects(
    catalog.import(latest),
    failsWith('TEMPLATE_INVALID', (e) => assert.match(e.message, /not pinned/)),
  )
  const bind = write(
    'bind.yaml',
    '# port: 80\nservices:\n  web:\n    image: nginx:1.27.2\n    volumes:\n      - ./conf:/etc/nginx/conf.d\n    environment:\n      - SERVICE_FQDN_WEB\n',
  )
  await assert.rejects(catalog.import(bind), failsWith('TEMPLATE_UNSUPPORTED'))
})

test('Dokploy: config files, unknown helpers and malformed TOML are refused with what to fix', async (t) => {
  const home = tempHome(t)
  const blueprint = (toml: string) => {
    const dir = join(home, `b${Math.random().toString(36).slice(2)}`)
    mkdirSync(dir)
    cpSync(join(FIXTURES, 'dokploy/umami/docker-compose.yml'), join(dir, 'docker-compose.yml'))
    writeFileSync(join(dir, 'template.toml'), toml)
    return dir
  }
  const catalog = catalogIn(home)
  const base =
    '[variables]\nmain_domain = "${domain}"\n[[config.domains]]\nserviceName = "umami"\nport = 3000\nhost = "${main_domain}"\n'
  await assert.rejects(
    catalog.import(blueprint(`${base}[[config.mounts]]\nfilePath = "/a"\ncontent = """\nx\n"""\n`)),
    failsWith('TEMPLATE_UNSUPPORTED'),
  )
  await assert.rejects(
    catalog.import(blueprint(`${base}[config.env]\nX = "\${nope:3}"\n`)),
    failsWith('TEMPLATE_UNSUPPORTED'),
  )
  await assert.rejects(
    catalog.import(blueprint('[variables\n')),
    failsWith('TEMPLATE_INVALID', (e) => assert.match(e.message, /line 1/)),
  )
  assert.deepEqual(
    parseToml("a.b = [1, \"x\", { c = true }]\n[[t]]\nk = '''lit\\n'''\n[[t]]\nk = \"2\\u0041\"\n"),
    {
      a: { b: [1, 'x', { c: true }] },
      t: [{ k: 'lit\\n' }, { k: '2A' }],
    },
  )
})

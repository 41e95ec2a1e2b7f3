/**
 * A catalogue app on the real test server, through the API the faces call. Installing Umami 1.0.0
 * (an app and its Postgres) records the template, version and every value on the server (0600), puts
 * the secret values in the keychain and nowhere in Helvetia's store or the kept compose file; the
 * upgrade plan to 1.1.0 keeps every value, adds the new variable and shows a diff without secrets.
 * A deployment records the template version it ran, and a rollback the version of the one it runs.
 * End to end: Umami installs from stand-ins of its images (tagged with the template's pinned names:
 * an httpd CGI that counts visits in the database, and the suite's Postgres), answers on its domain,
 * is upgraded to 1.1.0 with its secrets and its database's data kept, and rolled back.
 */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { CATALOG_COMPOSE_FILE, catalogAppFolder } from '../../src-main/core/catalog/catalog-folder'
import type { Deployment, DeployProgress } from '../../src-main/api/apps'
import { sh } from '../../src-main/core/shell/quote'
import { appSecretAccount } from '../../src-main/core/vault/accounts'
import { failsWith } from '../support/user-error'
import { coreTestbed, testCore } from './core-support'
import { umamiStandIns } from './catalog-support'
import { busyboxApp, deployTestbed, removeVolumesAfter, webApp, writeFiles } from './deploy-support'
import { provisionTestbed } from './provision-support'

/** Every file of the core's home, as bytes: Helvetia's store (SQLite, its journal) among them. */
const homeBytes = (home: string): Buffer =>
  Buffer.concat(
    readdirSync(home, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => readFileSync(join(e.parentPath, e.name))),
  )

test('install records the values on the server and in the keychain only; the upgrade plan keeps them', async (t) => {
  const bed = provisionTestbed(t)
  if (!bed) return
  const { core, serverName, home } = await testCore(t, bed)
  const create = core.api['apps:create']
  const source = { kind: 'catalog', template: 'umami', version: '1.0.0', values: {} } as const
  const summary = await create({ name: 'stats', server: serverName, source, domains: ['http://stats.test'] })
  t.after(() => core.apps.remove('stats', 'delete').catch(() => {}))
  assert.deepEqual(summary.source, { kind: 'catalog', template: 'umami', version: '1.0.0' })
  assert.deepEqual(summary.spec.compose?.routes, [
    { service: 'umami', domains: ['http://stats.test'], port: 3000 },
  ])

  const recordPath = `.${bed.prefix}/apps/stats/catalog.json`
  assert.equal((await bed.run(sh`stat -c %a ${recordPath}`)).trim(), '600')
  const record = JSON.parse(await bed.run(sh`cat ${recordPath}`)) as {
    template: string
    version: string
    values: Record<string, string>
  }
  assert.deepEqual([record.template, record.version], ['umami', '1.0.0'])
  const password = record.values.POSTGRES_PASSWORD as string
  assert.match(password, /^[A-Za-z0-9]{32}$/)
  assert.equal(record.values.DOMAIN, 'stats.test')
  assert.equal(record.values.DATABASE_URL, `postgres://umami:${password}@db:5432/umami`)

  const id = core.apps.record('stats').id
  for (const name of ['POSTGRES_PASSWORD', 'DATABASE_URL', 'APP_SECRET']) {
    assert.equal(
      await core.vault.get(appSecretAccount(id, name)),
      record.values[name],
      `${name} in the keychain`,
    )
  }
  const compose = readFileSync(join(catalogAppFolder(home, id, '1.0.0'), CATALOG_COMPOSE_FILE), 'utf8')
  assert.match(compose, /POSTGRES_PASSWORD: \$\{POSTGRES_PASSWORD\}/)
  for (const name of ['POSTGRES_PASSWORD', 'APP_SECRET']) {
    const value = record.values[name] as string
    assert.ok(!homeBytes(home).includes(value), `${name} is nowhere in Helvetia's home in clear`)
  }

  const plan = await core.api['catalog:upgrade-plan']({ name: 'stats' })
  assert.deepEqual([plan.from, plan.to], ['1.0.0', '1.1.0'])
  assert.deepEqual(plan.added, ['DISABLE_TELEMETRY'])
  assert.deepEqual(plan.kept.sort(), ['APP_SECRET', 'DATABASE_URL', 'DOMAIN', 'POSTGRES_PASSWORD'])
  assert.deepEqual(plan.volumesKept, ['db-data'])
  assert.match(plan.diff, /^- {4}image: ghcr\.io\/umami-software\/umami:postgresql-v2\.12\.1$/m)
  assert.match(plan.diff, /^\+ {4}image: ghcr\.io\/umami-software\/umami:postgresql-v2\.13\.2$/m)
  assert.match(plan.diff, /^\+ {6}DISABLE_TELEMETRY: '1'$/m)
  for (const value of Object.values(record.values).filter((v) => v.length >= 32)) {
    assert.ok(!plan.diff.includes(value), 'no secret in the diff')
  }
  await assert.rejects(
    core.api['catalog:upgrade-plan']({ name: 'stats', to: '1.0.0' }),
    failsWith('NOTHING_TO_UPGRADE'),
  )
  await assert.rejects(
    create({ name: 'stats2', server: serverName, source: { ...source, template: 'pgadmin' } }),
    failsWith('VALUE_REQUIRED'),
  )
  assert.equal(core.apps.find('stats2'), null, 'nothing created when the render fails')
})

test('a deployment records its template version; a rollback records the one it runs again', async (t) => {
  const bed = await deployTestbed(t)
  if (!bed) return
  const folder = await bed.folder(busyboxApp(bed.server.images.busybox, 'v1\n'))
  const deploy = (templateVersion: string) =>
    bed.deployer.deploy(bed.target, {
      app: webApp('tv'),
      source: { kind: 'folder', path: folder },
      serverAddress: '127.0.0.1',
      templateVersion,
    })
  const first = await deploy('1.0.0')
  assert.equal(first.status, 'succeeded', JSON.stringify(first))
  assert.equal(first.templateVersion, '1.0.0')
  await writeFiles(folder, { 'www/index.html': 'v2\n' })
  const second = await deploy('1.1.0')
  assert.equal(second.templateVersion, '1.1.0')
  const back = await bed.deployer.rollback(bed.target, { app: webApp('tv'), serverAddress: '127.0.0.1' })
  assert.deepEqual([back.status, back.rollbackOf, back.templateVersion], ['succeeded', first.id, '1.0.0'])
  assert.deepEqual(await bed.get('tv.test', '/index.html'), { status: 200, body: 'v1\n' })
  const history = await bed.deployer.history(bed.target, 'tv')
  assert.deepEqual(
    history.deployments.map((d) => d.templateVersion),
    ['1.0.0', '1.1.0', '1.0.0'],
  )
})

test('a catalogue app installs, answers, upgrades with its secrets and data kept, and rolls back', async (t) => {
  const bed = await coreTestbed(t)
  if (!bed) return
  removeVolumesAfter(bed)
  bed.cleanup(
    sh`docker network ls -q --filter label=com.docker.compose.project=${`${bed.prefix}-stats`} | xargs -r docker network rm >/dev/null 2>&1; true`,
  )
  await umamiStandIns(bed)
  const { core, serverName } = bed
  const source = { kind: 'catalog', template: 'umami', version: '1.0.0' } as const
  await core.api['apps:create']({ name: 'stats', server: serverName, source, domains: ['http://stats.test'] })
  t.after(() => core.apps.remove('stats', 'delete').catch(() => {}))
  const visit = async () => (await bed.get('stats.test', '/cgi-bin/visit')).body.trim()
  const started = Date.now()
  const first = await core.apps.deploy('stats')
  assert.deepEqual([first.status, first.templateVersion], ['succeeded', '1.0.0'], JSON.stringify(first.error))
  const page = await visit()
  const secret = /secret=(\w{8})/.exec(page)?.[1]
  assert.match(page, /^version=2\.12\.1 visits=1 secret=\w{8} telemetry=unset$/)
  console.log(`install and first deploy: ${Date.now() - started} ms`)

  let upgraded: Deployment | undefined
  for await (const event of core.api['catalog:upgrade']({ name: 'stats' }, new AbortController().signal)) {
    if ((event as DeployProgress).type === 'done')
      upgraded = (event as Extract<DeployProgress, { type: 'done' }>).deployment
  }
  assert.deepEqual(
    [upgraded?.status, upgraded?.templateVersion],
    ['succeeded', '1.1.0'],
    JSON.stringify(upgraded?.error),
  )
  assert.equal(await visit(), `version=2.13.2 visits=2 secret=${secret} telemetry=1`, 'data and secrets kept')
  assert.deepEqual(core.apps.get('stats').source, { kind: 'catalog', template: 'umami', version: '1.1.0' })
  const record = JSON.parse(await bed.run(sh`cat ${`.${bed.prefix}/apps/stats/catalog.json`}`)) as {
    version: string
  }
  assert.equal(record.version, '1.1.0')

  const back = await core.apps.rollback('stats')
  assert.deepEqual([back.status, back.templateVersion, back.rollbackOf], ['succeeded', '1.0.0', first.id])
  assert.equal(await visit(), `version=2.12.1 visits=3 secret=${secret} telemetry=unset`)
  assert.deepEqual(core.apps.get('stats').source, { kind: 'catalog', template: 'umami', version: '1.0.0' })
  console.log(`install, upgrade and rollback: ${Date.now() - started} ms`)
})

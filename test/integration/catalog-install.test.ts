/**
 * A catalogue app on the real test server, through the API the faces call. Installing Umami 1.0.0
 * (an app and its Postgres) records the template, version and every value on the server (0600), puts
 * the secret values in the keychain and nowhere in Helvetia's store or the kept compose file; the
 * upgrade plan to 1.1.0 keeps every value, adds the new variable and shows a diff without secrets.
 */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { CATALOG_COMPOSE_FILE, catalogAppFolder } from '../../src-main/core/catalog/catalog-folder'
import { sh } from '../../src-main/core/shell/quote'
import { appSecretAccount } from '../../src-main/core/vault/accounts'
import { failsWith } from '../support/user-error'
import { testCore } from './core-support'
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
  assert.match(plan.diff, /^-    image: ghcr\.io\/umami-software\/umami:postgresql-v2\.12\.1$/m)
  assert.match(plan.diff, /^\+    image: ghcr\.io\/umami-software\/umami:postgresql-v2\.13\.2$/m)
  assert.match(plan.diff, /^\+      DISABLE_TELEMETRY: '1'$/m)
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

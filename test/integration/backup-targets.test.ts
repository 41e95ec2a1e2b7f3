/**
 * Backup targets and the backups service through the real core: a target's secret goes to the
 * keychain and, on first use, into a 0600 file on the server, never into the store; a backup resolves
 * verified; the list, retention and the choice of target; removal deletes the file and the secret.
 * The database is located by the test (the databases service is another branch's, h/db).
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { createBackups } from '../../src-main/core/backups/backups'
import { serverPath } from '../../src-main/core/rules/layout'
import { sh } from '../../src-main/core/shell/quote'
import { backupTargetAccount } from '../../src-main/core/vault/accounts'
import { backupRow } from '../../src-main/cli/commands/backup'
import { requireKeychain } from '../support/keychain'
import { failsWith } from '../support/user-error'
import { backupBed, storedObjects } from './backup-support'
import { testCore } from './core-support'

test('targets: secret in the keychain and a 0600 file on first use; backups through the core', async (t) => {
  if (!requireKeychain(t)) return
  const bed = await backupBed(t)
  if (!bed) return
  const { core, serverName, home } = await testCore(t, bed, {})
  const api = core.api
  // Keychain accounts are shared by concurrent tests: a name of this test's own.
  const name = `t-${bed.prefix.slice(-8)}`
  const other = `o-${bed.prefix.slice(-8)}`
  const secret = `sk-${bed.prefix}`
  t.after(async () => {
    for (const n of [name, other]) await core.vault.delete(backupTargetAccount(n))
  })
  const input = {
    name,
    endpoint: bed.s3.endpoint,
    bucket: bed.s3.bucket,
    accessKeyId: bed.s3.accessKeyId,
    secretAccessKey: secret,
  }

  await assert.rejects(
    api['backups:addTarget']({ ...input, bucket: 'Not_A_Bucket' }),
    failsWith('INVALID_OPTION', (e) => assert.equal(e.field, 'bucket')),
  )
  await assert.rejects(
    api['backups:addTarget']({ ...input, secretAccessKey: 'two\nlines' }),
    failsWith('INVALID_OPTION', (e) => assert.equal(e.field, 'secretAccessKey')),
  )
  const added = await api['backups:addTarget']({ ...input, prefix: '/nightly/' })
  const { secretAccessKey: _secret, ...shown } = input
  assert.deepEqual(
    { ...added, createdAt: undefined },
    {
      ...shown,
      region: null,
      prefix: 'nightly',
      servers: [],
      createdAt: undefined,
    },
  )
  assert.equal(await core.vault.get(backupTargetAccount(name)), secret)
  assert.ok(!readFileSync(join(home, 'helvetia.db')).includes(secret), 'the store holds no secret')

  await bed.database('postgres', 'shop')
  const server = core.servers.get(serverName)
  const backups = createBackups({
    scripts: bed.scripts,
    prefix: bed.prefix,
    targets: core.backupTargets,
    locate: async () => ({
      target: core.servers.targetFor(server),
      server,
      engine: 'postgres',
    }),
    scheduleTarget: async () => null,
  })

  // The only target is the default; its settings file is installed on first use.
  const made = await backups.backup('shop')
  assert.equal(made.state, 'verified')
  assert.equal(made.verified, true)
  assert.deepEqual(made.counts, { 'public.items': 3000, 'billing.Invoices': 17 })
  assert.ok(storedObjects(bed).has(`nightly/helvetia/shop/${made.id}.gz`))
  const file = `"$HOME"/${serverPath(bed.prefix, 'backup_targets_dir')}/${name}`
  assert.equal((await bed.run(`stat -c %a ${file}`)).trim(), '600')
  assert.match(await bed.run(`cat ${file}`), new RegExp(`^RCLONE_CONFIG_T_SECRET_ACCESS_KEY=${secret}$`, 'm'))
  assert.deepEqual((await api['backups:targets']()).find((x) => x.name === name)?.servers, [serverName])

  const listed = await backups.backups('shop')
  assert.deepEqual(listed.map(backupRow), [
    { id: made.id, time: made.at, size: made.size, state: 'verified', verified: true },
  ])
  assert.deepEqual(await backups.prune('shop', { keepDaily: 1, keepWeekly: 0, keepMonthly: 0 }), {
    kept: 1,
    deleted: 0,
  })

  // A server that lost the settings file gets it again.
  await bed.run(`rm ${file}`)
  assert.equal((await backups.verify('shop', made.id)).state, 'verified')

  // Two targets and no schedule: which one must be said.
  await api['backups:addTarget']({ ...input, name: other })
  await assert.rejects(backups.backup('shop'), failsWith('BACKUP_TARGET_NEEDED'))

  assert.deepEqual(await api['backups:removeTarget']({ name }), { unreachable: [] })
  assert.equal(
    (
      await bed.run(
        sh`test -e "$HOME"/${`${serverPath(bed.prefix, 'backup_targets_dir')}/${name}`} && echo kept || echo gone`,
      )
    ).trim(),
    'gone',
  )
  assert.equal(await core.vault.get(backupTargetAccount(name)), null)
  assert.deepEqual(
    (await api['backups:targets']()).map((x) => x.name),
    [other],
  )
})

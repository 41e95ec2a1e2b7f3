/**
 * The Settings tab in Chromium through the web mode, against the real core and the test server: a
 * domain edited and one added, a memory limit the core refuses shown beside its field with the input
 * kept, a volume and a release command added, saved, the pending banner and its Deploy now, and the
 * new domains answering through the proxy; then the removal dialog, which asks keep or delete for the
 * app's volume before it removes anything, deletes it.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { coreTestbed } from '../integration/core-support'
import { busyboxApp, removeVolumesAfter } from '../integration/deploy-support'
import { sh } from '../../src-main/core/shell/quote'
import { openDashboard } from './dashboard'

test('settings: edit domains and resources, an invalid value beside its field, save, deploy now', async (t) => {
  const bed = await coreTestbed(t)
  if (!bed) return
  removeVolumesAfter(bed)
  const folder = await bed.folder(busyboxApp(bed.server.images.busybox, 'settings\n'))
  await bed.core.api['apps:create']({
    name: 'uiset',
    server: bed.serverName,
    source: { kind: 'folder', path: folder },
    port: 8080,
    domains: ['http://uiset.test'],
    healthPath: '/index.html',
  })
  const dashboard = await openDashboard(t, { core: bed.core })
  if (!dashboard) return
  const { page, web } = dashboard
  await page.goto(`${web.url}#/apps/uiset/settings`)

  const first = page.getByLabel('Domain 1', { exact: true })
  assert.equal(await first.inputValue(), 'http://uiset.test')
  const save = page.getByRole('button', { name: 'Save settings' })
  assert.equal(await save.isDisabled(), true, 'nothing to save yet')
  await first.fill('http://uiset-new.test')
  await page.getByRole('button', { name: 'Add domain' }).click()
  const second = page.getByLabel('Domain 2', { exact: true })
  // The focus moves after the new row renders: wait for that frame, then check.
  await second.waitFor()
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  )
  assert.equal(
    await second.evaluate((input) => input === document.activeElement),
    true,
    'the new row has the focus',
  )
  await second.fill('http://uiset-two.test')

  // The core refuses the memory limit: its message goes beside the field, and nothing typed is lost.
  const memory = page.getByLabel(/^Memory limit/)
  await memory.fill('lots')
  await save.click()
  const error = page.getByText('Invalid memory limit: "lots"')
  await error.waitFor()
  assert.equal(await memory.getAttribute('aria-invalid'), 'true')
  const described = (await memory.getAttribute('aria-describedby')) ?? ''
  assert.ok(
    described.split(' ').includes((await error.getAttribute('id')) ?? '-'),
    'the error describes its field',
  )
  assert.equal(await first.inputValue(), 'http://uiset-new.test')
  assert.equal(await second.inputValue(), 'http://uiset-two.test')
  const stored = await bed.core.api['apps:list']()
  assert.deepEqual(stored[0]?.spec.domains, ['http://uiset.test'], 'nothing saved')
  assert.equal(stored[0]?.settingsPending, false)

  await memory.fill('96m')
  await page.getByText('Invalid memory limit').waitFor({ state: 'detached' })
  await page.getByRole('button', { name: 'Add volume' }).click()
  await page.getByLabel('Volume 1', { exact: true }).fill('data')
  await page.getByLabel('Mounted at 1', { exact: true }).fill('/www/data')
  await page.getByLabel(/^Release command/).fill('echo released >/www/data/released')
  await save.click()
  const banner = page.getByRole('status').filter({ hasText: 'Settings changed — deploy to apply' })
  // A bound, not a speed claim: with test files side by side on two cores, a save took over 30 s once.
  await banner.waitFor({ timeout: 120_000 })
  const [app] = await bed.core.api['apps:list']()
  assert.deepEqual(app?.spec.domains, ['http://uiset-new.test', 'http://uiset-two.test'])
  assert.deepEqual(app?.spec.resources, { memory: '96m' })
  assert.deepEqual(app?.spec.volumes, [{ source: 'data', path: '/www/data' }])
  assert.equal(app?.spec.releaseCommand, 'echo released >/www/data/released')
  assert.equal(await memory.inputValue(), '96m', 'the form shows what was saved')

  await banner.getByRole('button', { name: 'Deploy now' }).click()
  await page.getByText(/Deployment \S+ is live\./).waitFor({ timeout: 180_000 })
  assert.deepEqual(await bed.get('uiset-new.test'), { status: 200, body: 'settings\n' })
  assert.deepEqual(await bed.get('uiset-two.test'), { status: 200, body: 'settings\n' })
  assert.deepEqual(await bed.get('uiset-new.test', '/data/released'), { status: 200, body: 'released\n' })
  await page.getByText('Settings changes are waiting for the next deploy.').waitFor({ state: 'detached' })
  await page.goto(`${web.url}#/apps/uiset/settings`)
  await page.getByLabel('Domain 2', { exact: true }).waitFor()
  assert.equal(await banner.count(), 0, 'deployed: no banner')

  // Removing it: the dialog wants the name and a choice for the volume before it removes anything.
  await page.getByRole('button', { name: 'Remove app' }).click()
  const dialog = page.getByRole('dialog')
  await dialog.getByLabel('Type uiset to confirm').fill('uiset')
  const remove = dialog.getByRole('button', { name: 'Remove app' })
  assert.equal(await remove.isDisabled(), true, 'no choice for the volume yet')
  await dialog.getByLabel(/Delete the volumes/).check()
  await remove.click()
  await dialog.waitFor({ state: 'detached' })
  assert.deepEqual(await bed.core.api['apps:list'](), [])
  const volumes = await bed.run(sh`docker volume ls -q --filter name=^${`${bed.prefix}-uiset-data`}$`)
  assert.equal(volumes.trim(), '', 'the volume is deleted')
})

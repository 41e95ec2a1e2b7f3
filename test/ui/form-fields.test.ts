/**
 * Forms mark the field an error is about by the error's `field`, never by its words: the New app and
 * Settings forms in Chromium through the web mode, against the real core, whose errors are reworded
 * on their way out (same code and field, another message). No server is reached: the core refuses
 * the values before anything is sent.
 */
import assert from 'node:assert/strict'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import type { ApiHandlers } from '../../src-main/api/contract'
import { UserError } from '../../src-main/core/errors'
import { openDashboard } from './dashboard'

const REWORDED = 'Reworded by the test: this will not do.'

/** The core's handlers, with the message of every UserError from create and update replaced. */
function reworded(api: ApiHandlers): ApiHandlers {
  const reword = (error: unknown): never => {
    if (!(error instanceof UserError)) throw error
    throw new UserError(error.code, REWORDED, error.hint, { field: error.field })
  }
  return {
    ...api,
    'apps:create': (input) => api['apps:create'](input).catch(reword),
    'apps:update': (input) => api['apps:update'](input).catch(reword),
  }
}

test('forms highlight the field an error names, whatever its message says', async (t) => {
  const dashboard = await openDashboard(t, { servers: [{ name: 'edge-1' }], wrapApi: reworded })
  if (!dashboard) return
  const { page, web, core } = dashboard
  const folder = await mkdtemp(join(tmpdir(), 'helvetia-form-fields-'))

  // New app: the core refuses the memory limit; its note goes in the Resources panel, after the field.
  await page.goto(`${web.url}#/new-app`)
  await page.getByLabel('Name', { exact: true }).fill('fields')
  await page.getByLabel('Folder', { exact: true }).fill(folder)
  const memory = page.getByLabel(/^Memory limit/)
  await memory.fill('lots')
  await page.getByRole('button', { name: 'Create app' }).click()
  const resources = page.getByRole('region', { name: 'Resources' })
  const note = resources.getByRole('alert')
  await note.getByText(REWORDED).waitFor()
  assert.equal(await note.getByText('INVALID_OPTION').count(), 1, 'the code shows')
  const memoryId = await memory.getAttribute('id')
  assert.equal(
    await note.evaluate(
      (el, id) => el.previousElementSibling?.querySelector(`[id="${id}"]`) !== null,
      memoryId,
    ),
    true,
    'the note follows the memory field',
  )
  assert.equal(await page.getByRole('alert').count(), 1, 'and nowhere else')

  // Settings: the second domain sent is refused; it is the third row, after an empty one.
  await core.api['apps:create']({
    name: 'fields',
    server: 'edge-1',
    source: { kind: 'folder', path: folder },
    domains: ['http://fields.test'],
  })
  await page.goto(`${web.url}#/apps/fields/settings`)
  await page.getByLabel('Domain 1', { exact: true }).waitFor()
  await page.getByRole('button', { name: 'Add domain' }).click()
  await page.getByRole('button', { name: 'Add domain' }).click()
  const third = page.getByLabel('Domain 3', { exact: true })
  await third.fill('not a domain')
  await page.getByRole('button', { name: 'Save settings' }).click()
  const error = page.getByText(REWORDED)
  await error.waitFor()
  assert.equal(await third.getAttribute('aria-invalid'), 'true')
  const described = (await third.getAttribute('aria-describedby')) ?? ''
  assert.ok(
    described.split(' ').includes((await error.getAttribute('id')) ?? '-'),
    'the error describes row 3',
  )
  for (const row of ['Domain 1', 'Domain 2']) {
    assert.notEqual(await page.getByLabel(row, { exact: true }).getAttribute('aria-invalid'), 'true', row)
  }
  assert.deepEqual((await core.api['apps:list']())[0]?.spec.domains, ['http://fields.test'], 'nothing saved')
})

/**
 * The pure parts of the catalogue's views and of an app's services, processes and jobs: version
 * order and "update available", search and categories, the install form's checks and inputs, and how
 * states, runs and durations read.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Template, TemplateSummary } from '../../src-main/api/contract'
import {
  categoriesOf,
  compareVersions,
  describeGenerator,
  diffLines,
  filterTemplates,
  suggestedAppName,
  updateTo,
} from '../../src-renderer/src/catalog/catalog-format'
import {
  emptyInstallForm,
  installErrors,
  installFieldOf,
  installInput,
  renderInput,
} from '../../src-renderer/src/catalog/install-form'
import {
  describeRun,
  formatDuration,
  processRunning,
  serviceState,
  switchLabel,
} from '../../src-renderer/src/apps/ship-format'

const summary = (fields: Partial<TemplateSummary>): TemplateSummary => ({
  id: 'ghost',
  name: 'Ghost',
  description: 'A blog and newsletter platform',
  category: 'Publishing',
  version: '1.0.0',
  appVersion: '5.96',
  origin: 'builtin',
  website: null,
  ...fields,
})

const template: Template = {
  ...summary({}),
  versions: ['1.0.0'],
  variables: [
    {
      name: 'DB_PASSWORD',
      description: 'The database password.',
      secret: true,
      required: false,
      generator: { kind: 'password', length: 24 },
    },
    { name: 'SMTP_HOST', description: 'Mail server.', secret: false, required: true, generator: null },
  ],
  services: [{ name: 'web', image: 'ghost:5.96', port: 2368, routed: true }],
  volumes: [],
  databases: [],
  compose: 'services: {}\n',
}

test('versions order numerically, a pre-release before its release; an update is only to a newer one', () => {
  assert.equal(compareVersions('1.10.0', '1.9.2'), 1)
  assert.equal(compareVersions('1.2', '1.2.0'), 0)
  assert.equal(compareVersions('2.0.0-rc.1', '2.0.0'), -1)
  assert.equal(compareVersions('2.0.0-rc.10', '2.0.0-rc.2'), 1)
  assert.equal(compareVersions('v1.0.1', '1.0.0'), 1)
  assert.equal(updateTo('1.0.0', '1.1.0'), '1.1.0')
  assert.equal(updateTo('1.1.0', '1.1.0'), null)
  assert.equal(updateTo('1.2.0', '1.1.0'), null)
  assert.equal(updateTo('1.0.0', undefined), null)
})

test('the search matches every word in any field, any case; categories count their templates', () => {
  const all = [
    summary({}),
    summary({ id: 'umami', name: 'Umami', description: 'Web analytics', category: 'Analytics' }),
    summary({
      id: 'plausible',
      name: 'Plausible',
      description: 'Privacy-friendly analytics',
      category: 'Analytics',
    }),
  ]
  assert.deepEqual(
    filterTemplates(all, 'ANALYTICS', null).map((t) => t.id),
    ['plausible', 'umami'],
  )
  assert.deepEqual(
    filterTemplates(all, 'privacy analytics', null).map((t) => t.id),
    ['plausible'],
  )
  assert.deepEqual(
    filterTemplates(all, '', 'Publishing').map((t) => t.id),
    ['ghost'],
  )
  assert.deepEqual(filterTemplates(all, 'blog', 'Analytics'), [])
  assert.deepEqual(categoriesOf(all), [
    { name: 'Analytics', count: 2 },
    { name: 'Publishing', count: 1 },
  ])
})

test('generators, suggested names and diff lines read as meant', () => {
  assert.equal(describeGenerator({ kind: 'password', length: 24 }), 'Generated: a password of 24 characters')
  assert.equal(
    describeGenerator({ kind: 'secret', bytes: 32, encoding: 'hex' }),
    'Generated: 32 random bytes (hex)',
  )
  assert.equal(describeGenerator(null), 'You give it')
  assert.equal(suggestedAppName('Uptime_Kuma'), 'uptime-kuma')
  assert.equal(suggestedAppName('2fa-auth'), 'fa-auth')
  assert.equal(suggestedAppName('!!'), 'app')
  assert.deepEqual(
    diffLines('--- a\n+++ b\n@@ -1 +1 @@\n-image: ghost:5.95\n+image: ghost:5.96\n same\n').map(
      (l) => l.kind,
    ),
    ['hunk', 'hunk', 'hunk', 'remove', 'add', 'context'],
  )
})

test('the install form wants a name, a server and each required variable; it sends only what was given', () => {
  const form = emptyInstallForm('ghost', 'edge-1')
  assert.deepEqual(Object.keys(installErrors(form, template)), ['var:SMTP_HOST'])
  assert.deepEqual(Object.keys(installErrors({ ...form, name: '9x', server: '' }, template)), [
    'name',
    'server',
    'var:SMTP_HOST',
  ])
  const filled = { ...form, values: { SMTP_HOST: ' mail.example.com ', DB_PASSWORD: '  ' } }
  assert.deepEqual(installErrors(filled, template), {})
  assert.deepEqual(installInput(filled, template), {
    name: 'ghost',
    server: 'edge-1',
    source: {
      kind: 'catalog',
      template: 'ghost',
      version: '1.0.0',
      values: { SMTP_HOST: 'mail.example.com' },
    },
  })
  // Revealed generated values are sent as given, so the install keeps what the preview showed; typed ones win.
  const revealed = { DB_PASSWORD: 'shown-in-preview', SMTP_HOST: 'generated?' }
  assert.deepEqual(installInput(filled, template, revealed).source, {
    kind: 'catalog',
    template: 'ghost',
    version: '1.0.0',
    values: { DB_PASSWORD: 'shown-in-preview', SMTP_HOST: 'mail.example.com' },
  })
  assert.deepEqual(renderInput(filled, template, { reveal: true, generated: revealed }), {
    template: 'ghost',
    version: '1.0.0',
    app: 'ghost',
    server: 'edge-1',
    values: { DB_PASSWORD: 'shown-in-preview', SMTP_HOST: 'mail.example.com' },
    reveal: true,
  })
  assert.equal(installFieldOf({ message: 'x', field: 'source.values.SMTP_HOST' }), 'var:SMTP_HOST')
  assert.equal(installFieldOf({ message: 'x', field: 'name' }), 'name')
  assert.equal(installFieldOf({ message: 'x', code: 'SERVER_NOT_FOUND' }), 'server')
  assert.equal(installFieldOf({ message: 'x' }), null)
})

test('services, processes and job runs read as people expect', () => {
  assert.deepEqual(serviceState({ state: 'running', health: null }), { label: 'Running', pill: 'pill-live' })
  assert.deepEqual(serviceState({ state: 'running', health: 'healthy' }), {
    label: 'Healthy',
    pill: 'pill-live',
  })
  assert.deepEqual(serviceState({ state: 'running', health: 'unhealthy' }), {
    label: 'Unhealthy',
    pill: 'pill-failed',
  })
  assert.deepEqual(serviceState({ state: 'exited', health: null }), { label: 'Stopped', pill: 'pill-failed' })
  assert.deepEqual(serviceState({ state: 'dead', health: null }), { label: 'Dead', pill: 'pill-failed' })
  assert.equal(switchLabel(true), 'Zero downtime')
  assert.equal(switchLabel(false), 'Recreated')
  assert.equal(processRunning({ running: 1, replicas: 2 }), '1 of 2 running')
  assert.equal(formatDuration(850), '850 ms')
  assert.equal(formatDuration(42_000), '42 s')
  assert.equal(formatDuration(185_000), '3 min 5 s')
  assert.equal(formatDuration(7_440_000), '2 h 4 min')
  assert.equal(describeRun({ state: 'failed', exitCode: 3, durationMs: 2000 }), 'Failed (exit 3) in 2 s')
  assert.equal(describeRun({ state: 'succeeded', exitCode: 0, durationMs: 850 }), 'Succeeded in 850 ms')
  assert.equal(describeRun({ state: 'running', exitCode: null, durationMs: null }), 'Running')
})

/**
 * The app views say what the core will do: the New app form's name check and the addresses the app
 * page shows agree with the core's own rules (core/deploy/app-spec.ts) on the same inputs.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { appDomains, resolveAppSpec, validateAppName } from '../../src-main/core/deploy/app-spec'
import { appNameError, appState, appUrls } from '../../src-renderer/src/apps/app-format'
import { createInput, emptyForm, fieldOf } from '../../src-renderer/src/apps/new-app-form'

test('the form accepts exactly the app names the core accepts', () => {
  const names = [
    'web',
    'a',
    'a1',
    'my-app',
    '9web',
    '-web',
    'web-',
    'Web',
    'we_b',
    'web.1',
    '',
    'a'.repeat(40),
    'a'.repeat(41),
  ]
  for (const name of names) {
    let coreAccepts = true
    try {
      validateAppName(name)
    } catch {
      coreAccepts = false
    }
    assert.equal(appNameError(name) === undefined, coreAccepts, name)
  }
  assert.equal(appNameError('9web'), 'Start with a letter.')
  assert.equal(appNameError('web-'), 'End with a letter or a digit.')
})

test('the addresses shown are the hosts the core routes, with their scheme', () => {
  const cases: [domains: string[], server: string][] = [
    [['app.example.com', 'HTTP://Plain.Example.com/', 'https://secure.example.com'], '203.0.113.7'],
    [[], '203.0.113.7'],
    [[], '2001:db8::1'],
  ]
  for (const [domains, server] of cases) {
    const core = appDomains(resolveAppSpec({ name: 'web', domains }), server)
    const shown = appUrls('web', domains, server)
    assert.deepEqual(
      shown.map(({ host, https }) => ({ host, https })),
      core,
    )
    for (const url of shown) assert.equal(url.url, `${url.https ? 'https' : 'http'}://${url.host}/`)
  }
  assert.deepEqual(appUrls('web', [], 'server.example.com'), [], 'no sslip.io name without an IP address')
})

test('status: deploying beats live, live beats an older failure, never before the first deployment', () => {
  const d = (status: 'running' | 'succeeded' | 'failed') => ({ status }) as never
  assert.equal(appState({ live: null, latest: null }), 'never')
  assert.equal(appState({ live: d('succeeded'), latest: d('running') }), 'deploying')
  assert.equal(appState({ live: d('succeeded'), latest: d('failed') }), 'live')
  assert.equal(appState({ live: null, latest: d('failed') }), 'failed')
  assert.equal(appState({ live: d('succeeded'), latest: d('succeeded') }, true), 'deploying')
})

test('the form makes the create input, and the core’s objections go beside their field', () => {
  const form = {
    ...emptyForm('edge'),
    name: 'web',
    path: ' /srv/web ',
    port: '8080',
    domains: 'a.example.com\n\n http://b.example.com ',
    cpus: '0.5',
  }
  assert.deepEqual(createInput(form), {
    name: 'web',
    server: 'edge',
    source: { kind: 'folder', path: '/srv/web' },
    port: 8080,
    domains: ['a.example.com', 'http://b.example.com'],
    cpus: 0.5,
  })
  // By the error's field, never its words: a message naming another field changes nothing.
  const invalid = { message: 'Invalid port: "lots"', code: 'INVALID_OPTION', field: 'memory' }
  assert.equal(fieldOf(invalid), 'memory')
  assert.equal(fieldOf({ message: 'Taken.', code: 'APP_EXISTS', field: 'name' }), 'name')
  assert.equal(fieldOf({ message: 'Bad.', code: 'DOMAIN_IN_USE', field: 'domains.1' }), 'domains')
  assert.equal(fieldOf({ message: 'Invalid memory limit: "lots"', code: 'INVALID_OPTION' }), null)
})

import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import type { Locator, Page } from 'playwright-core'
import { sh } from '../../src-main/core/shell/quote'
import { freePorts, provisionTestbed } from '../integration/provision-support'
import { testServer } from '../support/test-server'
import { openDashboard, UI_PREFIX } from './dashboard'
import { fillTestServerAddress, provisionCaddy } from './server-forms'

const FACT_LABELS = [
  'Operating system',
  'Architecture',
  'Root access',
  'Docker',
  'CPUs',
  'Memory',
  'Disk free',
]

/** The facts a list shows, label to value. */
async function factsShown(scope: Locator): Promise<Record<string, string>> {
  const labels = await scope.locator('dt').allTextContents()
  const values = await scope.locator('dd').allTextContents()
  return Object.fromEntries(labels.map((label, i) => [label, values[i] ?? '']))
}

async function openWizard(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connect a server' }).click()
  await page.getByRole('heading', { name: 'Address and authentication' }).waitFor()
}

/** The message shown under a field, or null when it has none. */
async function fieldError(page: Page, label: string): Promise<string | null> {
  const field = page.getByLabel(label, { exact: true })
  if ((await field.getAttribute('aria-invalid')) !== 'true') return null
  const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(' ')
  return page.locator(`[id="${ids[0]}"]`).textContent()
}

test('the address step checks what was typed before anything is sent, and says how to fix it', async (t) => {
  const dashboard = await openDashboard(t, { servers: [{ name: 'edge-1' }] })
  if (!dashboard) return
  const { page } = dashboard
  await openWizard(page)

  // Nothing is flagged before the first attempt to continue.
  assert.equal(await fieldError(page, 'Name'), null)
  await page.getByRole('button', { name: 'Continue' }).click()
  assert.equal(await fieldError(page, 'Name'), 'Give the server a name, like “web-1”.')
  assert.equal(await fieldError(page, 'Host'), 'Enter the server’s host name or IP address.')
  assert.equal(await fieldError(page, 'Port'), null, 'port 22 is filled in')
  assert.equal(await fieldError(page, 'User'), null, 'root is filled in')
  assert.ok(
    await page.getByLabel('Name').evaluate((el) => el === document.activeElement),
    'focus goes to the first error',
  )

  const cases: [label: string, value: string, message: string][] = [
    ['Name', 'edge-1', 'A server named “edge-1” already exists: choose another name.'],
    [
      'Name',
      'Web_1',
      'Use lowercase letters, digits and dashes (at most 63), starting and ending with a letter or digit.',
    ],
    ['Host', 'root@example.com', 'Enter only the host here: the user goes in the User field.'],
    ['Host', 'ssh://example.com', 'Enter only the host, without ssh:// or a path.'],
    ['Host', 'example.com:2222', 'Enter only the host here: the port goes in the Port field.'],
    ['Port', '70000', 'Enter a port from 1 to 65535.'],
    ['Port', 'ssh', 'Enter a port from 1 to 65535.'],
    [
      'User',
      'deploy user',
      'Use the login name on the server, like root or deploy: letters, digits, dots, dashes, underscores.',
    ],
  ]
  for (const [label, value, message] of cases) {
    await page.getByLabel(label, { exact: true }).fill(value)
    assert.equal(await fieldError(page, label), message, `${label} = ${JSON.stringify(value)}`)
  }

  // Each way to sign in asks for what it needs.
  await page.getByRole('radio', { name: /Private key file/ }).check()
  assert.equal(await fieldError(page, 'Key file path'), 'Enter the path of the private key file.')
  await page.getByRole('radio', { name: /Generate a key/ }).check()
  assert.equal(
    await fieldError(page, 'Server password'),
    'Enter the server’s password: it is used once to install the new key.',
  )

  // Once everything is right the wizard moves on to the host key, keeping what was typed.
  await page.getByRole('radio', { name: /SSH agent/ }).check()
  await page.getByLabel('Name').fill('web-1')
  await page.getByLabel('Host').fill('203.0.113.10')
  await page.getByLabel('Port').fill('2222')
  await page.getByLabel('User').fill('deploy')
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.getByRole('heading', { name: 'Confirm the host key' }).waitFor()
  assert.equal(
    await page.getByRole('list', { name: 'Steps' }).locator('[aria-current="step"]').textContent(),
    '2Host key',
  )
})

test('the wizard connects and provisions the test server: address, host key, checks, proxy, done', async (t) => {
  const testbed = provisionTestbed(t)
  if (!testbed) return
  const { server } = testbed
  const dashboard = await openDashboard(t)
  if (!dashboard) return
  const { page, core } = dashboard
  // The dashboard's core names the proxy with this file's prefix; removed again after the test.
  testbed.cleanup(
    sh`docker rm -f -v ${`${UI_PREFIX}-proxy`}; docker network rm ${UI_PREFIX}; ` +
      sh`docker volume rm ${`${UI_PREFIX}-caddy-data`}; rm -rf "$HOME"/${`.${UI_PREFIX}`}`,
  )
  await openWizard(page)

  await fillTestServerAddress(page, server, 'test-box')

  // The fingerprint shown is the server's, and nothing goes on until the user vouches for it.
  const fingerprint = page.getByTestId('host-key-fingerprint')
  await fingerprint.waitFor()
  assert.equal(await fingerprint.textContent(), server.hostKeyFingerprint)
  const trust = page.getByRole('button', { name: 'Trust and connect' })
  assert.ok(await trust.isDisabled(), 'nothing goes on before the user confirms')
  await page.getByRole('checkbox', { name: /I compared this fingerprint/ }).check()
  await trust.click()

  // Checks: saved with the pinned key, then the facts, formatted for people.
  await page.getByRole('button', { name: 'Continue to provisioning' }).waitFor()
  const facts = await factsShown(page.getByRole('list', { name: 'Checks' }))
  assert.deepEqual(Object.keys(facts), FACT_LABELS)
  assert.match(facts.Memory ?? '', /^\d+(\.\d+)? (MiB|GiB|TiB)$/, JSON.stringify(facts))
  const saved = core.servers.list()
  assert.equal(saved.length, 1)
  assert.equal(saved[0]?.hostKeyFingerprint, server.hostKeyFingerprint)

  // Provisioning: Caddy from the offline image, on free ports of 127.0.0.1 only.
  await page.getByRole('button', { name: 'Continue to provisioning' }).click()
  const httpPort = await provisionCaddy(page, server)
  const progress = page.getByRole('region', { name: 'Progress' })
  await progress.getByRole('status').getByText('Finished').waitFor({ timeout: 240_000 })
  const steps = progress.getByRole('list', { name: 'Provisioning steps' }).getByRole('listitem')
  assert.ok((await steps.count()) > 1, 'the steps are listed')
  for (const status of await steps.locator('.step-status').allTextContents())
    assert.ok(status === 'Done' || status === 'Skipped', status)
  // The raw log folds open and holds as many lines as its summary says.
  await progress.getByText('Raw log').click()
  const lines = Number(/\((\d+) lines?\)/.exec((await progress.locator('summary').textContent()) ?? '')?.[1])
  const log = (await progress.getByLabel('Raw provisioning log').textContent()) ?? ''
  assert.equal(log === '' ? 0 : log.split('\n').length, lines)
  const inspect = JSON.parse(await testbed.run(`docker inspect ${UI_PREFIX}-proxy`)) as [
    { HostConfig: { PortBindings: Record<string, { HostIp: string; HostPort: string }[]> } },
  ]
  const bindings = Object.values(inspect[0].HostConfig.PortBindings).flat()
  assert.equal(bindings.length, 2, `the HTTP and HTTPS ports are published: ${JSON.stringify(bindings)}`)
  assert.ok(
    bindings.every((binding) => binding.HostIp === '127.0.0.1'),
    JSON.stringify(bindings),
  )

  await page.getByRole('button', { name: 'Continue', exact: true }).click()
  await page.getByRole('heading', { name: 'test-box is connected' }).waitFor()
  await page.getByRole('link', { name: 'Open test-box' }).click()
  await page.getByRole('heading', { level: 1, name: 'test-box' }).waitFor()
  await page.getByText(server.hostKeyFingerprint).waitFor()
  // Provisioning reported the facts: the server page shows them without another check.
  assert.deepEqual(
    Object.keys(await factsShown(page.getByRole('region', { name: 'Server facts' }))),
    FACT_LABELS,
  )
  // And the proxy it read back from the server.
  const proxy = page.getByRole('region', { name: 'Reverse proxy' })
  assert.deepEqual((await proxy.locator('dd').allTextContents()).slice(0, 2), ['Caddy', String(httpPort)])
})

test('a wrong port fails beside the host-key step with the core’s message and hint, and keeps the input', async (t) => {
  const server = testServer(t)
  if (!server) return
  const dashboard = await openDashboard(t)
  if (!dashboard) return
  const { page, core } = dashboard
  // A local port nothing listens on: connecting to it is refused.
  const [port = 0] = await freePorts(1)
  // What the core says about it, to be shown verbatim.
  const expected = await core.api['servers:probe-host-key']({ host: server.host, port }).then(
    () => assert.fail('the port was expected to refuse'),
    (error: Error & { code?: string; hint?: string }) => error,
  )
  assert.equal(expected.code, 'SSH_UNREACHABLE')

  await openWizard(page)
  await page.getByLabel('Name').fill('test-box')
  await page.getByLabel('Host').fill(server.host)
  await page.getByLabel('Port').fill(String(port))
  await page.getByLabel('User').fill(server.user)
  await page.getByRole('button', { name: 'Continue' }).click()

  const alert = page.getByRole('alert')
  await alert.getByText(expected.message, { exact: true }).waitFor()
  await alert.getByText(expected.hint ?? '', { exact: true }).waitFor()

  // Retry tries again with the same input; Edit address brings back everything that was typed.
  await alert.getByRole('button', { name: 'Retry' }).click()
  await alert.getByText(expected.message, { exact: true }).waitFor()
  await alert.getByRole('button', { name: 'Edit address' }).click()
  assert.equal(await page.getByLabel('Name').inputValue(), 'test-box')
  assert.equal(await page.getByLabel('Host').inputValue(), server.host)
  assert.equal(await page.getByLabel('Port').inputValue(), String(port))
  assert.equal(await page.getByLabel('User').inputValue(), server.user)

  await page.getByLabel('Port').fill(String(server.port))
  await page.getByRole('button', { name: 'Continue' }).click()
  assert.equal(await page.getByTestId('host-key-fingerprint').textContent(), server.hostKeyFingerprint)
})

test('this computer needs no address or host key: the wizard goes straight to the checks', async (t) => {
  const dashboard = await openDashboard(t)
  if (!dashboard) return
  const { page } = dashboard
  await openWizard(page)
  await page.getByRole('radio', { name: /This computer/ }).check()
  assert.equal(await page.getByLabel('Host').count(), 0)
  assert.equal(await page.getByRole('group', { name: 'Sign in with' }).count(), 0)
  await page.getByLabel('Name').fill('here')
  await page.getByRole('button', { name: 'Continue' }).click()
  const steps = page.getByRole('list', { name: 'Steps' })
  assert.deepEqual(await steps.getByRole('listitem').allTextContents(), [
    'Address',
    '2Checks',
    '3Provision',
    '4Done',
  ])
  await page.getByRole('button', { name: 'Continue to provisioning' }).waitFor()
  assert.deepEqual(Object.keys(await factsShown(page.getByRole('list', { name: 'Checks' }))), FACT_LABELS)
})

test('a host from ~/.ssh/config fills in the form, its alias made a valid name', async (t) => {
  // The core reads the config of the user running it: here a home of this test's own.
  const home = mkdtempSync(join(tmpdir(), 'helvetia-ssh-home-'))
  mkdirSync(join(home, '.ssh'))
  writeFileSync(
    join(home, '.ssh', 'config'),
    'Host Prod.Web\n  HostName 203.0.113.10\n  Port 2200\n  User deploy\n  IdentityFile ~/.ssh/id_prod\n' +
      'Host *\n  ServerAliveInterval 30\n',
  )
  const previousHome = process.env.HOME
  process.env.HOME = home
  t.after(() => {
    process.env.HOME = previousHome
    rmSync(home, { recursive: true, force: true })
  })
  const dashboard = await openDashboard(t)
  if (!dashboard) return
  const { page } = dashboard
  await openWizard(page)

  const picker = page.getByRole('button', { name: 'Import from ~/.ssh/config' })
  await picker.click()
  assert.equal(await picker.getAttribute('aria-expanded'), 'true')
  const hosts = page.getByRole('list', { name: 'Hosts in ~/.ssh/config' })
  assert.deepEqual(await hosts.getByRole('listitem').allTextContents(), ['Prod.Webdeploy@203.0.113.10:2200'])
  await hosts.getByRole('button', { name: /Prod\.Web/ }).click()

  assert.equal(await picker.getAttribute('aria-expanded'), 'false')
  assert.ok(await picker.evaluate((el) => el === document.activeElement), 'focus returns to the button')
  assert.equal(await page.getByLabel('Name').inputValue(), 'prod-web')
  assert.equal(await page.getByLabel('Host').inputValue(), '203.0.113.10')
  assert.equal(await page.getByLabel('Port').inputValue(), '2200')
  assert.equal(await page.getByLabel('User').inputValue(), 'deploy')
  assert.ok(await page.getByRole('radio', { name: /Private key file/ }).isChecked())
  assert.equal(await page.getByLabel('Key file path').inputValue(), join(home, '.ssh', 'id_prod'))
})

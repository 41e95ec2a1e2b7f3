/**
 * The first-run guide walked end to end with the real UI, from an empty core to a live app: connect
 * the test server through the wizard, provision it with Caddy, create a busybox app from a folder and
 * deploy it, each reached through the guide's own links; then the app answers through the proxy.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { prefixedCore } from '../integration/core-support'
import { busyboxApp, get, removeDeploysAfter, writeFiles } from '../integration/deploy-support'
import { provisionTestbed } from '../integration/provision-support'
import { tempHome } from '../support/temp-home'
import { openDashboard } from './dashboard'
import { fillTestServerAddress, provisionCaddy } from './server-forms'

test('the guide walks a first run from no server to a live app that answers through the proxy', async (t) => {
  const bed = provisionTestbed(t)
  if (!bed) return
  removeDeploysAfter(bed)
  const { server } = bed
  const { core } = prefixedCore(t, bed.prefix)
  const dashboard = await openDashboard(t, { core })
  if (!dashboard) return
  const { page } = dashboard
  const guide = page.getByRole('list', { name: 'Steps to a live app' })
  const backToGuide = () =>
    page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /Getting started/ })
      .click()
  /** Waits until `count` steps are done, failing at once with the reason when a step fails. */
  const reach = async (count: number, timeout?: number): Promise<void> => {
    const failed = guide.locator(':scope > li.step-failed')
    await page.getByText(`${count} of 4 done`, { exact: true }).or(failed).first().waitFor({ timeout })
    if ((await failed.count()) > 0) assert.fail(`a step failed: ${await failed.first().textContent()}`)
  }
  await page.getByRole('heading', { level: 1, name: 'Welcome to Helvetia' }).waitFor()
  await reach(0)

  // 1. Connect: the guide's link opens the wizard; the server is saved once its host key is trusted.
  await guide.getByRole('link', { name: 'Connect a server' }).click()
  await page.getByRole('heading', { name: 'Address and authentication' }).waitFor()
  await fillTestServerAddress(page, server, 'walk-box')
  await page.getByRole('checkbox', { name: /I compared this fingerprint/ }).check()
  await page.getByRole('button', { name: 'Trust and connect' }).click()
  await page.getByRole('button', { name: 'Continue to provisioning' }).waitFor()
  assert.deepEqual(
    core.servers.list().map((saved) => saved.name),
    ['walk-box'],
  )

  // 2. Provision: back on the guide, its current step holds the provisioning form.
  await backToGuide()
  await reach(1)
  const httpPort = await provisionCaddy(guide, server)
  // Once it finishes the step is done and the guide moves on (its form gives way to the next step).
  await reach(2, 240_000)
  // Under the test's prefix, published on 127.0.0.1 only.
  const proxy = await bed.inspect(`${bed.prefix}-proxy`)
  const bindings = Object.values(proxy.HostConfig.PortBindings).flat()
  assert.ok(
    bindings.length > 0 && bindings.every((binding) => binding.HostIp === '127.0.0.1'),
    JSON.stringify(bindings),
  )

  // 3. Create: the guide's link opens the New app page for this server.
  const folder = tempHome(t)
  await writeFiles(folder, busyboxApp(server.images.busybox, '<h1>walked to live</h1>'))
  await guide.getByRole('link', { name: 'Create an app' }).click()
  await page.getByRole('heading', { level: 1, name: 'New app' }).waitFor()
  assert.equal(await page.getByLabel('Server', { exact: true }).inputValue(), 'walk-box')
  await page.getByLabel('Name', { exact: true }).fill('hello')
  await page.getByLabel('Folder', { exact: true }).fill(folder)
  await page.getByLabel(/^Domains/).fill('http://hello.test')
  await page.getByLabel(/^Port/).fill('8080')
  await page.getByLabel(/^Health check path/).fill('/index.html')
  await page.getByRole('button', { name: 'Create app' }).click()
  await page.getByRole('heading', { level: 1, name: 'hello' }).waitFor()

  // 4. Deploy from the guide, which then reports the app live with its address.
  await backToGuide()
  await reach(3)
  await guide.getByRole('button', { name: 'Deploy hello' }).click()
  await reach(4, 240_000)
  const live = page.getByRole('region', { name: 'hello is live' })
  await live.getByRole('link', { name: /hello\.test/ }).waitFor()

  // And it is: the proxy serves the page.
  const response = await get(httpPort, 'hello.test')
  assert.equal(response.status, 200)
  assert.match(response.body, /walked to live/)
})

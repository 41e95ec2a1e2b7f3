/**
 * Filling the server forms with the test server, as a user would: the wizard's address step (signing
 * in with the test server's key file) and the provisioning form (Caddy from the offline image, on free
 * ports of 127.0.0.1 only).
 */
import type { Locator, Page } from 'playwright-core'
import { freePorts } from '../integration/provision-support'
import type { TestServer } from '../support/test-server'

/** Fills the wizard's address step with `server` under `name` and continues to its host key. */
export async function fillTestServerAddress(page: Page, server: TestServer, name: string): Promise<void> {
  await page.getByLabel('Name').fill(name)
  await page.getByLabel('Host').fill(server.host)
  await page.getByLabel('Port').fill(String(server.port))
  await page.getByLabel('User').fill(server.user)
  await page.getByRole('radio', { name: /Private key file/ }).check()
  await page.getByLabel('Key file path').fill(server.keyPath)
  await page.getByRole('button', { name: 'Continue' }).click()
}

/** Fills the provisioning form in `scope` and starts it; resolves with the proxy's HTTP port. */
export async function provisionCaddy(scope: Page | Locator, server: TestServer): Promise<number> {
  await scope.getByRole('radio', { name: /Caddy/ }).check()
  await scope.getByText('Advanced').click()
  const [httpPort = 0, httpsPort = 0] = await freePorts(2)
  await scope.getByLabel('Proxy image').fill(server.images.caddy)
  await scope.getByLabel('HTTP port').fill(String(httpPort))
  await scope.getByLabel('HTTPS port').fill(String(httpsPort))
  await scope.getByLabel('Listen on address').fill('127.0.0.1')
  await scope.getByRole('button', { name: 'Provision', exact: true }).click()
  return httpPort
}

/**
 * Certificate chips on an app's Overview, in Chromium through the web mode against the real core and
 * the test server's Caddy: before the first deploy an HTTPS address says only HTTPS; deployed from the
 * page, its `.localhost` address shows Caddy's local CA as not trusted, with the verdict as the chip's
 * tooltip and description; the `http://` address stays "HTTP only".
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { coreTestbed } from '../integration/core-support'
import { busyboxApp } from '../integration/deploy-support'
import { openDashboard } from './dashboard'

test(
  'app overview: each HTTPS address gets its certificate chip after the deploy',
  { timeout: 300_000 },
  async (t) => {
    const bed = await coreTestbed(t)
    if (!bed) return
    const folder = await bed.folder(busyboxApp(bed.server.images.busybox, 'hello\n'))
    await bed.core.api['apps:create']({
      name: 'uicert',
      server: bed.serverName,
      source: { kind: 'folder', path: folder },
      port: 8080,
      domains: ['http://uicert.test', 'uicert.localhost'],
      healthPath: '/index.html',
    })
    const dashboard = await openDashboard(t, { core: bed.core })
    if (!dashboard) return
    const { page, web } = dashboard
    const addresses = page.getByRole('region', { name: 'Addresses' })

    await page.goto(`${web.url}#/apps/uicert`)
    await page.getByText('Not deployed yet').waitFor()
    const secure = addresses.getByRole('listitem').filter({ hasText: 'https://uicert.localhost/' })
    const plain = addresses.getByRole('listitem').filter({ hasText: 'http://uicert.test/' })
    assert.equal(await secure.locator('.chip').textContent(), 'HTTPS', 'nothing to check before a deploy')
    assert.equal(await plain.locator('.chip').textContent(), 'HTTP only')

    await page.getByRole('button', { name: 'Deploy now' }).click()
    // Caddy issues the local certificate right after the deploy; the page asks again while it waits.
    const chip = secure.getByTestId('certificate-chip')
    await chip.filter({ hasText: 'Not trusted (local CA)' }).waitFor({ timeout: 240_000 })
    const title = (await chip.getAttribute('title')) ?? ''
    assert.match(title, /^Issued by Caddy Local Authority - ECC Intermediate, Caddy's own CA/)
    const note = page.locator(`[id="${await chip.getAttribute('aria-describedby')}"]`)
    assert.equal(await note.textContent(), title, 'the verdict is also written out, for keyboards and touch')
    assert.equal(await plain.locator('.chip').textContent(), 'HTTP only', 'http:// is not checked')
  },
)

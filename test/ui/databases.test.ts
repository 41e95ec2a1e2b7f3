/**
 * The Databases section in Chromium through the web mode, against the real core and the test server:
 * a Postgres database created with the form (the suite's own image, as `--image` would name it),
 * linked to an app, a tunnel opened (its local URL shown, a real TCP connection through it counted,
 * the port closed again by Close); then a backup target added through the UI (a local s3rver stands in
 * for the bucket: no cloud is reachable here) and a backup run from the page until it shows verified.
 */
import assert from 'node:assert/strict'
import { connect, type Socket } from 'node:net'
import { test } from 'node:test'
import { coreTestbed } from '../integration/core-support'
import { busyboxApp } from '../integration/deploy-support'
import { ownVault } from '../integration/github-support'
import { startS3Server } from '../support/s3-server'
import { openDashboard } from './dashboard'

/** Resolves with an open socket to 127.0.0.1:port, or rejects with the connect error. */
const dial = (port: number): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.once('connect', () => resolve(socket))
    socket.once('error', reject)
  })

test(
  'databases: create with the form, link an app, the palette’s actions, open and close a tunnel',
  { timeout: 600_000 },
  async (t) => {
    const image = process.env.HELVETIA_TEST_IMAGE_POSTGRES
    if (!image)
      return t.skip('HELVETIA_TEST_IMAGE_POSTGRES is not set: the test server has no Postgres image')
    // A keychain of the test's own: the database's credentials and the target's key stay out of Helvetia's.
    const bed = await coreTestbed(t, { vault: ownVault(t) })
    if (!bed) return
    const folder = await bed.folder(busyboxApp(bed.server.images.busybox, 'hello\n'))
    await bed.core.api['apps:create']({
      name: 'dbweb',
      server: bed.serverName,
      source: { kind: 'folder', path: folder },
    })
    const dashboard = await openDashboard(t, { core: bed.core })
    if (!dashboard) return
    const { page, web } = dashboard
    const main = page.getByRole('main')

    // The section starts empty and leads to the form.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /Databases/ })
      .click()
    await page.getByTestId('no-databases').waitFor()
    await main.getByRole('link', { name: 'New database' }).click()
    await page.getByRole('heading', { level: 1, name: 'New database' }).waitFor()

    // The name is checked as it is typed; the engine's default version is shown.
    const name = page.getByLabel('Name', { exact: true })
    await name.fill('9db')
    await page.getByText('Start with a letter.').waitFor()
    assert.equal(await name.getAttribute('aria-invalid'), 'true')
    await name.fill('uidb')
    await page.getByText('Start with a letter.').waitFor({ state: 'detached' })
    await page.getByText(/Default: \S+\./).waitFor()
    // The core's objection comes back beside its field: an app of that name exists on the server.
    await name.fill('dbweb')
    await page.getByLabel(/^Image/).fill(image)
    await page.getByLabel(/^Version/).fill('15')
    await page.getByRole('button', { name: 'Create database' }).click()
    // Beside the Name field (the note right after it), with the core's code.
    await page
      .locator('.field:has(input[autocomplete="off"]) + .note-danger')
      .filter({ hasText: 'NAME_IN_USE' })
      .waitFor({ timeout: 60_000 })
    await name.fill('uidb')
    await page.getByRole('button', { name: 'Create database' }).click()

    // Its page: running, the URL masked until revealed.
    await page.getByRole('heading', { level: 1, name: 'uidb' }).waitFor({ timeout: 180_000 })
    await page.locator('.pill-live').first().waitFor()
    const url = page.getByTestId('connection-url')
    await url.waitFor()
    const masked = (await url.textContent()) ?? ''
    const revealed = await bed.core.api['databases:reveal']({ name: 'uidb' })
    assert.ok(!masked.includes(revealed.password), 'the password is masked')
    await page.getByRole('button', { name: 'Reveal' }).click()
    await url.filter({ hasText: revealed.password }).waitFor()
    await page.getByRole('button', { name: 'Hide password' }).click()

    // Linked to the app: listed here, in the list, and on the app's page.
    await page.getByLabel('App', { exact: true }).selectOption('dbweb')
    await page.getByRole('button', { name: 'Link app' }).click()
    const linked = page.getByRole('list', { name: 'Linked apps' })
    await linked.getByText('DATABASE_URL').waitFor()
    await linked.getByRole('link', { name: 'dbweb' }).waitFor()
    const env = await bed.core.api['env:list']({ name: 'dbweb' })
    assert.ok(
      env.vars.some((v) => v.key === 'DATABASE_URL' && v.secret),
      'the app has the URL as a secret',
    )
    await page.goto(`${web.url}#/apps/dbweb`)
    await page.getByRole('list', { name: 'Databases it uses' }).getByRole('link', { name: 'uidb' }).waitFor()
    await page.goto(`${web.url}#/databases`)
    await page.getByRole('table', { name: 'Databases' }).getByRole('link', { name: 'dbweb' }).waitFor()
    await page.getByRole('table', { name: 'Databases' }).getByRole('link', { name: 'uidb' }).click()

    // The palette offers the database's actions; its "Open tunnel to uidb" opens the tunnel on arrival.
    await page.keyboard.press('Control+k')
    const palette = page.getByRole('dialog', { name: 'Command palette' })
    await palette.getByRole('combobox').pressSequentially('uidb')
    await palette.getByRole('option', { name: /^Open tunnel to uidb/ }).waitFor()
    const labels = await palette.locator('.palette-option-label').allTextContents()
    for (const label of ['uidb', 'Back up uidb', 'Open shell in uidb'])
      assert.ok(labels.includes(label), label)
    await palette.getByRole('option', { name: /^Open tunnel to uidb/ }).click()

    // A tunnel: its local URL shows; a connection through it is counted; Close closes the port.
    const tunnelUrl = page.getByTestId('tunnel-url')
    await tunnelUrl.waitFor({ timeout: 60_000 })
    const shown = (await tunnelUrl.textContent()) ?? ''
    const port = Number(/127\.0\.0\.1:(\d+)/.exec(shown)?.[1])
    assert.ok(port > 0, `a local URL: ${shown}`)
    assert.ok(!shown.includes(revealed.password), 'the shown tunnel URL is masked')
    const socket = await dial(port)
    await page.getByText('1 connection through it now').waitFor()
    socket.destroy()
    await page.getByRole('button', { name: 'Close tunnel' }).click()
    await page.getByRole('button', { name: 'Open tunnel' }).waitFor()
    // The core closes the port once the stream is cancelled: wait for the refusal.
    for (;;) {
      const refused = await dial(port).then(
        (s) => (s.destroy(), false),
        () => true,
      )
      if (refused) break
      await page.waitForTimeout(100)
    }
  },
)

test(
  'databases: a backup target added through the UI, a backup run from the page until verified',
  { timeout: 600_000 },
  async (t) => {
    const image = process.env.HELVETIA_TEST_IMAGE_POSTGRES
    if (!image)
      return t.skip('HELVETIA_TEST_IMAGE_POSTGRES is not set: the test server has no Postgres image')
    const bed = await coreTestbed(t, { vault: ownVault(t) })
    if (!bed) return
    const input = {
      name: 'uibackup',
      server: bed.serverName,
      engine: 'postgres',
      version: '15',
      image,
    } as const
    for await (const event of bed.core.api['databases:create'](input, new AbortController().signal))
      void event
    const dashboard = await openDashboard(t, { core: bed.core })
    if (!dashboard) return
    const { page, web } = dashboard
    // Started once the renderer is built (openDashboard may build it with execFileSync, which s3rver cannot outlive).
    const s3 = await startS3Server(t)

    // A target added through the UI, its secret in a password field.
    await page.goto(`${web.url}#/backup-targets`)
    await page.getByRole('heading', { level: 1, name: 'Backup targets' }).waitFor()
    await page.getByLabel('Name', { exact: true }).fill('local-s3')
    await page.getByLabel('Endpoint', { exact: true }).fill(s3.endpoint)
    await page.getByLabel('Bucket', { exact: true }).fill(s3.bucket)
    await page.getByLabel('Access key ID', { exact: true }).fill(s3.accessKeyId)
    const secret = page.getByLabel('Secret access key', { exact: true })
    assert.equal(await secret.getAttribute('type'), 'password')
    await secret.fill(s3.secretAccessKey)
    await page.getByRole('button', { name: 'Add target' }).click()
    await page.getByRole('list', { name: 'Backup targets' }).getByText('local-s3').waitFor()

    // Back up now: done only once verified, and the list shows it so.
    await page.goto(`${web.url}#/databases/uibackup`)
    await page.getByRole('button', { name: 'Back up now' }).click()
    await page.getByText(/stored and verified/).waitFor({ timeout: 180_000 })
    const backups = page.getByRole('table', { name: 'Backups' })
    await backups.getByText('verified', { exact: true }).waitFor()
    await backups.getByText('Read back, hash matches').waitFor()
    await page
      .getByText(/^Backed up /)
      .first()
      .waitFor()
  },
)

/**
 * A compose app's page in Chromium through the web mode, against the real core and the test server: a
 * two-service compose app (a routed web service switched with zero downtime, an unrouted worker
 * recreated) deployed by the core, its Services tab listing both with their state, image, domain and
 * how each is replaced, and a service's own page with its log view.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { DeployProgress } from '../../src-main/api/contract'
import { coreTestbed } from '../integration/core-support'
import { openDashboard, UI_PREFIX } from './dashboard'

test(
  'compose app: the Services tab lists each service, a service’s page with its log view',
  { timeout: 600_000 },
  async (t) => {
    const bed = await coreTestbed(t)
    if (!bed) return
    const { api } = bed.core
    const busybox = bed.server.images.busybox
    const app = `${UI_PREFIX}stack`
    // Lines unique to this run: what each service writes to its own log.
    const webLine = `web ${app} listening ${Date.now()}`
    const workerLine = `worker ${app} tick ${Date.now()}`
    const folder = await bed.folder({
      'compose.yml': [
        'services:',
        '  web:',
        `    image: ${busybox}`,
        `    command: ["sh", "-c", "mkdir -p /www && echo hi > /www/index.html && echo '${webLine}' && exec httpd -f -p 8080 -h /www"]`,
        '  worker:',
        `    image: ${busybox}`,
        `    command: ["sh", "-c", "while true; do echo '${workerLine}'; sleep 5; done"]`,
        '',
      ].join('\n'),
    })
    await api['apps:create']({
      name: app,
      server: bed.serverName,
      source: { kind: 'folder', path: folder },
      compose: {
        file: 'compose.yml',
        routes: [{ service: 'web', domains: [`http://${app}.test`], port: 8080 }],
        zeroDowntime: ['web'],
      },
    })
    let last: DeployProgress | undefined
    for await (const event of api['apps:deploy']({ name: app }, new AbortController().signal)) last = event
    if (last?.type !== 'done') throw new Error(`the deploy ended without a record: ${JSON.stringify(last)}`)
    assert.equal(last.deployment.status, 'succeeded', JSON.stringify(last.deployment.error))

    const dashboard = await openDashboard(t, { core: bed.core })
    if (!dashboard) return
    const { page, web } = dashboard

    // The app's page has a Services tab (and no Processes tab): both services, as they run.
    await page.goto(`${web.url}#/apps/${app}`)
    const tabs = page.getByRole('navigation', { name: 'App sections' })
    assert.equal(await tabs.getByRole('link', { name: 'Processes' }).count(), 0)
    await tabs.getByRole('link', { name: 'Services' }).click()
    const services = page.getByRole('table', { name: 'Services' })
    const row = (name: string) => services.getByRole('row').filter({ has: page.getByRole('link', { name }) })
    await row('web').waitFor({ timeout: 60_000 })
    await row('web').getByText(`http://${app}.test`).waitFor()
    await row('web').getByText('Zero downtime').waitFor()
    await row('web')
      .getByText(/Running|Healthy/)
      .waitFor()
    await row('worker').getByText('Not routed').waitFor()
    await row('worker').getByText('Recreated').waitFor()
    await row('worker').getByText(busybox).waitFor()

    // A service's page: its log view (a service's own metrics and terminal are not built yet).
    await row('worker').getByRole('link', { name: 'worker' }).click()
    await page.getByRole('heading', { level: 1, name: 'worker' }).waitFor()
    await page.getByRole('region', { name: 'Log' }).locator('.log-terminal').waitFor()
    // The trail leads back to the services.
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Services' }).click()
    await services.waitFor()
  },
)

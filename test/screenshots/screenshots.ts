/**
 * `npm run screenshots`: PNGs of the main screens, in the dark and light themes on a desktop window
 * and at a phone's 390 px, in screenshots/ (git ignores it). Real data throughout: the real core in
 * the web mode, with the test server added over SSH and provisioned (coreTestbed), an app deployed to
 * it twice (one more deploy failed), env vars (one pending), runtime logs from real requests, and a
 * Postgres database linked to it and backed up (verified) to a local S3 server, scheduled jobs (one
 * failed), and the catalogue with a template's install form.
 * Runs as a node:test file through test/run.sh, which brings the test server up and cleans after it.
 */
import { mkdirSync, rmSync } from 'node:fs'
import { join, relative } from 'node:path'
import { test, type TestContext } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import type { DeployProgress, Deployment } from '../../src-main/api/contract'
import { createCore, type Core } from '../../src-main/core/create-core'
import { createKeytarVault } from '../../src-main/core/vault/vault'
import { coreTestbed } from '../integration/core-support'
import { startS3Server } from '../support/s3-server'
import { APP_ROOT, tempHome } from '../support/temp-home'
import { openDashboard } from '../ui/dashboard'

const OUT = fileURLToPath(new URL('../../screenshots', import.meta.url))
const APP = 'shop'
const DATABASE = 'shopdb'

const VARIANTS = [
  { name: 'desktop-dark', viewport: { width: 1440, height: 900 }, colorScheme: 'dark' },
  { name: 'desktop-light', viewport: { width: 1440, height: 900 }, colorScheme: 'light' },
  { name: 'phone-dark', viewport: { width: 390, height: 844 }, colorScheme: 'dark' },
] as const

interface Screen {
  name: string
  hash: string
  /** Waits for what the screen is about to show; then the shot is taken. */
  ready(page: Page): Promise<void>
  /** A modal over the page: the shot is the window it covers, at every width. */
  modal?: boolean
}

/** Text in an xterm view: its rows are drawn into the DOM. */
const terminalShows = (page: Page, text: string): Promise<void> =>
  page.locator('.xterm-rows').filter({ hasText: text }).first().waitFor()

function screens(serverName: string, deploymentId: string): Screen[] {
  return [
    {
      name: '01-servers',
      hash: '#/servers',
      ready: (page) => page.getByRole('list', { name: 'Servers' }).waitFor(),
    },
    {
      name: '02-server',
      hash: `#/servers/${serverName}`,
      async ready(page) {
        await page.getByRole('button', { name: 'Check' }).click()
        await page.getByText('Disk free').waitFor()
      },
    },
    {
      name: '03-connect-wizard',
      hash: '#/connect',
      ready: (page) => page.getByRole('heading', { name: 'Address and authentication' }).waitFor(),
    },
    {
      name: '04-app-overview',
      hash: `#/apps/${APP}`,
      ready: (page) => page.getByText('http://shop.test').first().waitFor(),
    },
    {
      name: '05-deployments',
      hash: `#/apps/${APP}/deployments`,
      ready: (page) => page.getByText(deploymentId).first().waitFor(),
    },
    {
      name: '06-deployment-log',
      hash: `#/apps/${APP}/deployments/${deploymentId}`,
      ready: (page) => terminalShows(page, 'lock'),
    },
    {
      name: '07-env',
      hash: `#/apps/${APP}/env`,
      ready: (page) => page.getByText('FEATURE_FLAG').first().waitFor(),
    },
    { name: '08-logs', hash: `#/apps/${APP}/logs`, ready: (page) => terminalShows(page, 'shop: listening') },
    {
      name: '12-settings',
      hash: `#/apps/${APP}/settings`,
      ready: (page) => page.getByRole('heading', { name: 'Health check' }).waitFor(),
    },
    {
      name: '09-palette',
      hash: `#/apps/${APP}`,
      modal: true,
      async ready(page) {
        await page.getByText('http://shop.test').first().waitFor()
        await page.keyboard.press('Control+k')
        await page.getByRole('combobox').pressSequentially('sh')
      },
    },
    {
      name: '13-databases',
      hash: '#/databases',
      ready: (page) => page.getByRole('table', { name: 'Databases' }).getByText(DATABASE).waitFor(),
    },
    {
      name: '14-database',
      hash: `#/databases/${DATABASE}`,
      ready: (page) =>
        page.getByRole('table', { name: 'Backups' }).getByText('Read back, hash matches').first().waitFor(),
    },
    {
      name: '15-new-database',
      hash: '#/new-database',
      ready: (page) => page.getByText(/Default: \S+\./).waitFor(),
    },
    {
      name: '16-catalog',
      hash: '#/catalog',
      ready: (page) => page.getByRole('list', { name: 'Templates' }).waitFor(),
    },
    {
      name: '17-template-install',
      hash: '#/catalog/ghost',
      ready: (page) => page.getByTestId('value-DOMAIN').waitFor(),
    },
    {
      name: '18-processes',
      hash: `#/apps/${APP}/processes`,
      async ready(page) {
        await page.getByRole('table', { name: 'Process types' }).waitFor()
        await page.getByRole('table', { name: 'Scheduled jobs' }).waitFor()
      },
    },
    {
      name: '10-welcome',
      hash: '#/welcome',
      ready: (page) => page.getByRole('heading', { name: `${APP} is live` }).waitFor(),
    },
  ]
}

/** A phone's shot is the whole page; a desktop's is the window, as its sidebar and backdrop fill it. */
async function shoot(page: Page, file: string, modal = false): Promise<string> {
  // Nothing still loading, and the fonts in: the shot shows the screen as it settles.
  await page.locator('[aria-busy="true"]').first().waitFor({ state: 'detached', timeout: 15_000 })
  await page.evaluate(() => document.fonts.ready.then(() => undefined))
  mkdirSync(join(file, '..'), { recursive: true })
  const fullPage = !modal && (page.viewportSize()?.width ?? 0) < 600
  await page.screenshot({ path: file, fullPage, animations: 'disabled', caret: 'hide' })
  return file
}

async function outcome(events: AsyncIterable<DeployProgress>): Promise<Deployment> {
  let last: DeployProgress | undefined
  for await (const event of events) last = event
  if (last?.type !== 'done') throw new Error(`the deploy ended without a record: ${JSON.stringify(last)}`)
  return last.deployment
}

/** The app as people would have it after a while: two good deployments, a failed one, env, logs. */
async function seed(t: TestContext) {
  const bed = await coreTestbed(t)
  if (!bed) return undefined
  const { api } = bed.core
  const deploy = (path: string) =>
    outcome(api['apps:deploy']({ name: APP, path }, new AbortController().signal))
  const site = (version: string, extra: string[] = []) =>
    bed.folder({
      Dockerfile: [
        `FROM ${bed.server.images.busybox}`,
        'COPY www /www',
        ...extra,
        // -v logs each request: the runtime log has something to show.
        `CMD ["sh", "-c", "echo 'shop: listening on :8080 (${version})'; exec httpd -f -v -p 8080 -h /www"]`,
        '',
      ].join('\n'),
      'www/index.html': `<h1>Shop ${version}</h1>\n`,
    })

  await api['apps:create']({
    name: APP,
    server: bed.serverName,
    source: { kind: 'folder', path: await site('v1') },
    port: 8080,
    domains: ['http://shop.test'],
    healthPath: '/index.html',
  })
  await api['env:set']({ name: APP, vars: [{ key: 'GREETING', value: 'Grüezi' }], secret: false })
  await api['env:set']({
    name: APP,
    vars: [{ key: 'STRIPE_KEY', value: 'sk_test_screenshot' }],
    secret: true,
  })
  const one = await deploy(await site('v1'))
  const two = await deploy(await site('v2'))
  const failed = await deploy(await site('v3', ['RUN echo "compiling assets" && exit 3']))
  for (const deployment of [one, two]) {
    if (deployment.status !== 'succeeded')
      throw new Error(`deploy failed: ${JSON.stringify(deployment.error)}`)
  }
  if (failed.status !== 'failed') throw new Error('the third deploy was meant to fail')
  await api['env:set']({ name: APP, vars: [{ key: 'FEATURE_FLAG', value: 'new-checkout' }], secret: false })
  for (const path of ['/', '/index.html', '/missing']) await bed.get('shop.test', path)
  await seedDatabase(t, bed.core, bed.serverName)
  // Two scheduled jobs, one whose last run failed: the Processes tab and the overview flag it.
  await api['jobs:add']({ app: APP, name: 'report', cron: '0 6 * * 1', command: 'echo weekly report' })
  await api['jobs:add']({ app: APP, name: 'cleanup', cron: '30 3 * * *', command: 'echo cleaning; exit 2' })
  await api['jobs:run']({ app: APP, name: 'report' })
  await api['jobs:run']({ app: APP, name: 'cleanup' })
  return { core: bed.core, serverName: bed.serverName, deploymentId: two.id }
}

/** A Postgres database linked to the app, backed up once to a local S3 server (verified). */
async function seedDatabase(t: TestContext, core: Core, server: string): Promise<void> {
  const image = process.env.HELVETIA_TEST_IMAGE_POSTGRES
  if (!image)
    throw new Error('HELVETIA_TEST_IMAGE_POSTGRES is not set: the test server has no Postgres image')
  const s3 = await startS3Server(t)
  const { api } = core
  const input = { name: DATABASE, server, engine: 'postgres', version: '15', image } as const
  for await (const event of api['databases:create'](input, new AbortController().signal)) void event
  await api['databases:link']({ name: DATABASE, app: APP })
  await api['backups:addTarget']({
    name: 'local-s3',
    endpoint: s3.endpoint,
    bucket: s3.bucket,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
  })
  await api['databases:backup']({ name: DATABASE, to: 'local-s3' })
}

test('screenshots of the main screens', { timeout: 1_800_000 }, async (t) => {
  const seeded = await seed(t)
  if (!seeded) return
  rmSync(OUT, { recursive: true, force: true })
  const written: string[] = []
  for (const variant of VARIANTS) {
    const dashboard = await openDashboard(t, {
      core: seeded.core,
      viewport: variant.viewport,
      colorScheme: variant.colorScheme,
    })
    if (!dashboard) return
    const { page, web } = dashboard
    for (const screen of screens(seeded.serverName, seeded.deploymentId)) {
      await page.goto(`${web.url}${screen.hash}`)
      await page.getByRole('heading', { level: 1 }).first().waitFor()
      await screen.ready(page)
      written.push(await shoot(page, join(OUT, variant.name, `${screen.name}.png`), screen.modal))
      await page.keyboard.press('Escape')
    }
    // A first run: a core with nothing in it lands on the welcome guide.
    const empty = createCore({
      home: tempHome(t),
      appRoot: APP_ROOT,
      vault: createKeytarVault(),
      face: 'web',
    })
    t.after(() => empty.close())
    const first = await openDashboard(t, {
      core: empty,
      viewport: variant.viewport,
      colorScheme: variant.colorScheme,
    })
    if (!first) return
    await first.page.getByRole('heading', { level: 1, name: 'Welcome to Helvetia' }).waitFor()
    written.push(await shoot(first.page, join(OUT, variant.name, '11-welcome-first-run.png')))
  }
  console.log(
    `Wrote ${written.length} screenshots:\n${written.map((file) => relative(APP_ROOT, file)).join('\n')}`,
  )
})

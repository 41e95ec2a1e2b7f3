import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Page } from 'playwright-core'
import { openDashboard } from './dashboard'

const FINGERPRINT = 'SHA256:FqYqEB6WP+wzAofDMSNDkWCZdL/QOCIzOgPZRJ+Vro8'
const SERVERS = [
  {
    name: 'edge-1',
    host: '203.0.113.10',
    port: 22,
    user: 'root',
    hostKeyFingerprint: FINGERPRINT,
    proxy: {
      kind: 'caddy' as const,
      httpPort: 80,
      httpsPort: 443,
      acmeEmail: true,
      checkedAt: '2025-05-01T10:00:00Z',
    },
  },
  { name: 'staging-eu', host: 'staging.example.com', port: 2222, user: 'deploy', auth: 'key-file' as const },
]

const pageBackground = (page: Page): Promise<string> =>
  page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)

test('the sidebar, the breadcrumbs and the server cards lead through servers to a server', async (t) => {
  const dashboard = await openDashboard(t, { servers: SERVERS })
  if (!dashboard) return
  const { page } = dashboard
  const main = page.getByRole('navigation', { name: 'Main' })
  const breadcrumb = page.getByRole('navigation', { name: 'Breadcrumb' })

  // A server card: name, address, auth method and pinned host key.
  const card = page.getByRole('list', { name: 'Servers' }).getByRole('listitem').filter({ hasText: 'edge-1' })
  await card.getByText('root@203.0.113.10:22').waitFor()
  await card.getByText('SSH agent').waitFor()
  await card.getByText(FINGERPRINT).waitFor()
  const staging = page.getByRole('listitem').filter({ hasText: 'staging-eu' })
  await staging.getByText('No host key pinned').waitFor()
  // What runs on each, as last read from it: a proxy, or nothing yet and a way to provision it.
  await card.getByText('Caddy · ports 80/443').waitFor()
  await staging.getByText('Not provisioned').waitFor()
  assert.equal(
    await staging.getByRole('link', { name: 'Provision staging-eu' }).getAttribute('href'),
    '#/servers/staging-eu/provision',
  )

  await card.getByRole('link', { name: 'edge-1' }).click()
  await page.getByRole('heading', { level: 1, name: 'edge-1' }).waitFor()
  assert.equal(await breadcrumb.locator('[aria-current="page"]').textContent(), 'edge-1')
  assert.equal(await main.getByRole('link', { name: 'edge-1' }).getAttribute('aria-current'), 'page')
  // The proxy as last read, and when.
  const proxy = page.getByRole('region', { name: 'Reverse proxy' })
  await proxy.waitFor()
  assert.deepEqual((await proxy.locator('dd').allTextContents()).slice(0, 4), ['Caddy', '80', '443', 'Set'])
  // The page takes focus, as a page load would, for keyboard and screen-reader users.
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'MAIN')

  await main.getByRole('link', { name: 'Connect a server' }).click()
  await page.getByRole('heading', { level: 1, name: 'Connect a server' }).waitFor()
  await breadcrumb.getByRole('link', { name: 'Servers' }).click()
  await page.getByRole('heading', { level: 1, name: 'Servers' }).waitFor()

  // Deep links survive a reload.
  await page.goto(`${dashboard.web.url}#/servers/staging-eu/provision`)
  await page.getByRole('heading', { level: 1, name: 'Provision staging-eu' }).waitFor()
  assert.deepEqual(await breadcrumb.getByRole('listitem').allTextContents(), [
    'Servers',
    'staging-eu',
    'Provision',
  ])
  await page.goto(`${dashboard.web.url}#/nowhere`)
  await page.getByRole('heading', { level: 1, name: 'Nothing here' }).waitFor()
})

test('everything is reachable from the keyboard, starting with a skip link', async (t) => {
  const dashboard = await openDashboard(t, { servers: SERVERS })
  if (!dashboard) return
  const { page } = dashboard
  await page.keyboard.press('Tab')
  const skip = page.getByRole('button', { name: 'Skip to content' })
  assert.ok(await skip.evaluate((el) => el === document.activeElement && el.matches(':focus-visible')))
  await page.keyboard.press('Enter')
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'MAIN')

  // Tab from the content reaches the card link; Enter opens the server.
  await page.keyboard.press('Tab')
  await page.keyboard.press('Tab')
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'edge-1')
  await page.keyboard.press('Enter')
  await page.getByRole('heading', { level: 1, name: 'edge-1' }).waitFor()

  // Remove asks first; Escape closes the dialog and nothing is removed.
  await page.getByRole('button', { name: 'Remove' }).focus()
  await page.keyboard.press('Enter')
  const dialog = page.getByRole('dialog', { name: 'Remove edge-1?' })
  await dialog.waitFor()
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Cancel')
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'detached' })
  assert.equal(dashboard.core.servers.list().length, 2)
})

test('the theme follows the OS, and a chosen theme persists over a reload', async (t) => {
  const dashboard = await openDashboard(t, { colorScheme: 'dark' })
  if (!dashboard) return
  const { page } = dashboard
  const theme = page.getByRole('group', { name: 'Theme' })
  assert.ok(await theme.getByRole('radio', { name: 'System' }).isChecked())
  const dark = await pageBackground(page)

  await page.emulateMedia({ colorScheme: 'light' })
  const light = await pageBackground(page)
  assert.notEqual(light, dark, 'with System chosen the page follows the OS')

  await theme.getByRole('radio', { name: 'Dark' }).check()
  assert.equal(await pageBackground(page), dark)
  await page.reload()
  await theme.waitFor()
  assert.ok(await theme.getByRole('radio', { name: 'Dark' }).isChecked())
  assert.equal(await pageBackground(page), dark, 'the choice outlives a reload, whatever the OS says')

  // Arrow keys move between the choices.
  await theme.getByRole('radio', { name: 'Dark' }).focus()
  await page.keyboard.press('ArrowLeft')
  assert.ok(await theme.getByRole('radio', { name: 'Light' }).isChecked())
  assert.equal(await pageBackground(page), light)

  await theme.getByRole('radio', { name: 'System' }).check()
  await page.emulateMedia({ colorScheme: 'dark' })
  assert.equal(await pageBackground(page), dark)
  assert.equal(await page.evaluate(() => localStorage.getItem('helvetia.theme')), null)
})

/**
 * WCAG contrast of each visible text element against what is behind it: the backgrounds of its
 * ancestors, composited over the page colour.
 */
async function contrastFailures(page: Page): Promise<string[]> {
  // tsx names functions with esbuild's __name helper, which the page does not have.
  await page.evaluate('globalThis.__name = (f) => f')
  return page.evaluate(() => {
    type Rgba = [number, number, number, number]
    const probe = document.createElement('canvas').getContext('2d', { willReadFrequently: true })
    if (!probe) throw new Error('no 2D canvas')
    const parse = (css: string): Rgba => {
      probe.clearRect(0, 0, 1, 1)
      probe.fillStyle = css
      probe.fillRect(0, 0, 1, 1)
      const [r = 0, g = 0, b = 0, a = 0] = probe.getImageData(0, 0, 1, 1).data
      return [r, g, b, a / 255]
    }
    const over = ([r, g, b, a]: Rgba, [R, G, B]: Rgba): Rgba => [
      r * a + R * (1 - a),
      g * a + G * (1 - a),
      b * a + B * (1 - a),
      1,
    ]
    const luminance = ([r, g, b]: Rgba): number => {
      const c = [r, g, b].map((v) => {
        const s = v / 255
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
      })
      return 0.2126 * (c[0] ?? 0) + 0.7152 * (c[1] ?? 0) + 0.0722 * (c[2] ?? 0)
    }
    const behind = (element: Element): Rgba => {
      const layers: Rgba[] = []
      for (let e: Element | null = element; e; e = e.parentElement)
        layers.push(parse(getComputedStyle(e).backgroundColor))
      return layers.reduceRight((below, layer) => over(layer, below), [0, 0, 0, 1] as Rgba)
    }
    const failures: string[] = []
    for (const element of document.querySelectorAll('body *')) {
      const own = [...element.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim())
      const box = element.getBoundingClientRect()
      if (!own || box.width === 0 || element.closest('.visually-hidden, [aria-hidden="true"], :disabled'))
        continue
      const style = getComputedStyle(element)
      const background = behind(element)
      const text = over(parse(style.color), background)
      const [hi, lo] = [luminance(text), luminance(background)].sort((a, b) => b - a) as [number, number]
      const ratio = (hi + 0.05) / (lo + 0.05)
      const large =
        parseFloat(style.fontSize) >= 24 ||
        (parseFloat(style.fontSize) >= 18.66 && Number(style.fontWeight) >= 700)
      if (ratio < (large ? 3 : 4.5))
        failures.push(
          `${element.tagName}.${element.className} "${element.textContent?.trim().slice(0, 30)}": ${ratio.toFixed(2)}`,
        )
    }
    return failures
  })
}

test('text meets WCAG AA contrast in both themes', async (t) => {
  const dashboard = await openDashboard(t, { servers: SERVERS })
  if (!dashboard) return
  const { page, web } = dashboard
  for (const scheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    for (const hash of ['#/servers', '#/servers/edge-1', '#/connect']) {
      await page.goto(`${web.url}${hash}`)
      await page.getByRole('heading', { level: 1 }).waitFor()
      // The wizard's errors too.
      if (hash === '#/connect') await page.getByRole('button', { name: 'Continue' }).click()
      assert.deepEqual(await contrastFailures(page), [], `${scheme} theme, ${hash}`)
    }
  }
})

test('at 390 px wide nothing scrolls sideways and the navigation is a menu', async (t) => {
  const dashboard = await openDashboard(t, { servers: SERVERS, viewport: { width: 390, height: 844 } })
  if (!dashboard) return
  const { page, web } = dashboard
  for (const hash of ['#/servers', '#/servers/edge-1', '#/servers/edge-1/provision', '#/connect']) {
    await page.goto(`${web.url}${hash}`)
    await page.getByRole('heading', { level: 1 }).waitFor()
    if (hash === '#/connect') await page.getByRole('button', { name: 'Continue' }).click()
    const width = await page.evaluate(() => document.scrollingElement?.scrollWidth)
    assert.ok(width !== undefined && width <= 390, `${hash} is ${width} px wide`)
  }

  const nav = page.getByRole('navigation', { name: 'Main' })
  assert.equal(await nav.isVisible(), false, 'the sidebar folds away')
  const menu = page.getByRole('button', { name: 'Menu' })
  await menu.click()
  assert.equal(await menu.getAttribute('aria-expanded'), 'true')
  await nav.getByRole('link', { name: 'staging-eu' }).click()
  await page.getByRole('heading', { level: 1, name: 'staging-eu' }).waitFor()
  assert.equal(await nav.isVisible(), false, 'choosing a page closes the menu')

  await menu.click()
  await page.keyboard.press('Escape')
  assert.equal(await nav.isVisible(), false)
  assert.ok(await menu.evaluate((el) => el === document.activeElement), 'Escape returns focus to the button')
})

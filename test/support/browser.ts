import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser } from 'playwright-core'

const CHROMIUM = '/usr/bin/chromium'
export const RENDERER_ROOT = fileURLToPath(new URL('../../out/renderer', import.meta.url))

/** Debian's Chromium, headless, with no background traffic off this machine. */
export async function launchBrowser(t: TestContext): Promise<Browser | undefined> {
  if (!existsSync(CHROMIUM)) {
    const reason = `no Chromium at ${CHROMIUM} (apt-get install chromium)`
    if (process.env.CI === 'true') throw new Error(reason)
    t.skip(reason)
    return undefined
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  // Playwright starts it with a fresh temporary profile of its own.
  t.after(() => browser.close())
  return browser
}

/** The UI tests drive the built renderer; build it once if this checkout has not. */
export function ensureRendererBuilt(): void {
  const built = join(RENDERER_ROOT, 'index.html')
  if (existsSync(built) && newestSource() <= statSync(built).mtimeMs) return
  execFileSync('npx', ['electron-vite', 'build'], {
    stdio: 'inherit',
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
  })
}

/** When the renderer's sources (and the API contract it imports) last changed. */
function newestSource(): number {
  const root = fileURLToPath(new URL('../..', import.meta.url))
  let newest = 0
  for (const dir of ['src-renderer', 'src-main/api']) {
    for (const entry of readdirSync(join(root, dir), { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs)
    }
  }
  return newest
}

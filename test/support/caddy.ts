import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { promisify } from 'node:util'
import { caddyfile } from '../../src-main/core/proxy/caddy'
import { unavailable } from './test-server'

const run = promisify(execFile)

/**
 * Caddy's own reading of our Caddyfile with these app sites (file name → content) in its sites folder:
 * the JSON config `caddy adapt` prints, or undefined with the test skipped when caddy is not installed
 * (under CI=true that throws instead).
 */
export async function caddyAdapt(
  t: TestContext,
  options: Parameters<typeof caddyfile>[0],
  sites: Record<string, string>,
): Promise<ReturnType<typeof JSON.parse>> {
  const dir = mkdtempSync(join(tmpdir(), 'helvetia-caddyfile-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  // The sites folder as mounted in the container, here a temporary one.
  mkdirSync(join(dir, 'sites'))
  for (const [name, content] of Object.entries(sites)) writeFileSync(join(dir, 'sites', name), content)
  writeFileSync(join(dir, 'Caddyfile'), caddyfile(options).replace('/etc/caddy/sites/', `${dir}/sites/`))
  try {
    const { stdout } = await run('caddy', [
      'adapt',
      '--config',
      join(dir, 'Caddyfile'),
      '--adapter',
      'caddyfile',
    ])
    return JSON.parse(stdout)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    return unavailable(t, 'caddy', 'not installed (apt-get install caddy)')
  }
}

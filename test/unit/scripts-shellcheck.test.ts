import assert from 'node:assert/strict'
import { execFile, execFileSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

const SCRIPTS_DIR = fileURLToPath(new URL('../../remote-scripts', import.meta.url))

function shellcheckVersion(): string | null {
  try {
    return execFileSync('shellcheck', ['--version'], { encoding: 'utf8' })
  } catch {
    return null
  }
}

test('every remote script is POSIX sh and shellcheck-clean', async (t) => {
  if (!shellcheckVersion()) {
    const reason = 'shellcheck is not installed (apt-get install shellcheck)'
    if (process.env.CI === 'true') assert.fail(`${reason}; CI=true requires it`)
    return t.skip(reason)
  }
  const scripts = readdirSync(SCRIPTS_DIR, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.sh'))
    .sort()
  assert.ok(scripts.includes('facts.sh') && scripts.includes('provision.sh'), scripts.join(', '))
  // -x follows the `# shellcheck source=` directives, so variables and functions from lib/ are known.
  const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
    execFile(
      'shellcheck',
      ['--shell=sh', '--external-sources', '--severity=style', ...scripts],
      { cwd: SCRIPTS_DIR },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
    )
  })
  assert.equal(code, 0, `shellcheck findings in ${SCRIPTS_DIR}:\n${output}`)
})

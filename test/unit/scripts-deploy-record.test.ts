/**
 * remote-scripts/lib/deploy-common.sh run locally in sh: the deployment record is replaced only when
 * written whole (a write the system refuses leaves the old one), a deployment whose process is gone
 * and whose status is missing is recorded as failed, and option names reach `eval` only as lowercase
 * words. The refused write is `ulimit -f 0` (writes fail with EFBIG, as they fail with ENOSPC on a
 * full disk); test/integration/fault-server-disk.test.ts fills a real disk.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { fileURLToPath } from 'node:url'

const LIB = fileURLToPath(new URL('../../remote-scripts/lib', import.meta.url))

/** Runs `script` in sh with the deploy libraries sourced and `set -eu`; `args` are $1... */
function run(script: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const prelude = `set -eu; . "${LIB}/progress.sh"; . "${LIB}/rules.sh"; . "${LIB}/validate.sh"; . "${LIB}/deploy-common.sh"\n`
  return new Promise((resolve) => {
    execFile('sh', ['-c', prelude + script, 'sh', ...args], (error, stdout, stderr) =>
      resolve({ code: error ? ((error.code as number) ?? 1) : 0, stdout, stderr }),
    )
  })
}

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'helvetia-record-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

test('state_set keeps the old record whole, and says so, when its write is refused', async (t) => {
  const dir = tempDir(t)
  assert.equal((await run('state_set "$1" id one status running', dir)).code, 0)
  const before = [readFileSync(join(dir, 'state'), 'utf8'), readFileSync(join(dir, 'meta.json'), 'utf8')]
  assert.deepEqual(JSON.parse(before[1] ?? ''), { id: 'one', status: 'running' })

  // SIGXFSZ ignored, so a write past the limit fails with EFBIG instead of killing awk.
  const refused = await run(
    `trap '' XFSZ; ulimit -f 0
     if state_set "$1" status failed error_code X; then echo written; else echo refused; fi`,
    dir,
  )
  assert.equal(refused.stdout, 'refused\n', refused.stderr)
  assert.deepEqual(
    [readFileSync(join(dir, 'state'), 'utf8'), readFileSync(join(dir, 'meta.json'), 'utf8')],
    before,
  )
  assert.deepEqual(readdirSync(dir).sort(), ['meta.json', 'state'], 'no temporary file is left')
})

test('a deployment whose process is gone and whose status is missing is stale, and recorded as failed with a reason', async (t) => {
  const dir = tempDir(t)
  // What a full disk left before state writes were atomic: an empty state, meta.json still running.
  writeFileSync(join(dir, 'state'), '')
  writeFileSync(join(dir, 'meta.json'), '{"status":"running"}')
  const gone = await run('sh -c "exit 0" & wait $!; echo $! >"$1/pid"', dir)
  assert.equal(gone.code, 0, gone.stderr)
  const stale = await run('if deployment_stale "$1"; then mark_abandoned "$1"; echo stale; fi', dir)
  assert.equal(stale.stdout, 'stale\n', stale.stderr)
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as Record<string, string>
  assert.equal(meta.status, 'failed')
  assert.equal(meta.error_code, 'DEPLOY_ABANDONED')
  assert.match(meta.error_message ?? '', /stopped without finishing/)

  // A live process with no status yet (deploy-start between its mkdir and its first record) is not.
  writeFileSync(join(dir, 'state'), '')
  const live = await run(
    'echo $$ >"$1/pid"; if deployment_stale "$1"; then echo stale; else echo live; fi',
    dir,
  )
  assert.equal(live.stdout, 'live\n', live.stderr)
})

test('parse_options assigns allowed --names and refuses any other name before it reaches eval', async () => {
  const parsed = await run(
    `prefix='' lock_timeout=''
     parse_options 'prefix lock-timeout' "$@"
     printf '%s|%s\\n' "$prefix" "$lock_timeout"`,
    '--prefix',
    'p; touch x',
    '--lock-timeout',
    '$(id)',
  )
  assert.equal(parsed.stdout, 'p; touch x|$(id)\n', parsed.stderr)

  // `--prefix app` is two allowed names with a space: eval would run `prefix app=v` as a command.
  for (const name of ['--prefix app', '--app=x', '--Prefix', '--', '---prefix', '--app\tid', 'prefix']) {
    const refused = await run(
      `prefix() { echo "EVALUATED $*"; }
       app='' id=''
       parse_options 'prefix app id' "$@"
       echo accepted`,
      name,
      'v',
    )
    assert.equal(refused.code, 1, `${JSON.stringify(name)}: ${refused.stdout}${refused.stderr}`)
    assert.equal(
      refused.stdout,
      `::helvetia:: step=arguments status=failed code=INVALID_ARGUMENT Unknown argument: ${name}\n`,
      JSON.stringify(name),
    )
  }
})

test('a clean-up leaves the env of a deployment whose start has not written its record yet', async (t) => {
  const home = tempDir(t)
  const deployments = join(home, '.p', 'apps', 'web', 'deployments')
  // An old failed deployment (its env goes), and one that deploy-start.sh is still writing: its request
  // is stored, its state not yet (the prune must not take the env it is about to copy).
  for (const [id, state] of [
    ['20250101T000000Z-aaaa', 'id=20250101T000000Z-aaaa\nstatus=failed\n'],
    ['20250101T000100Z-bbbb', null],
  ] as const) {
    mkdirSync(join(deployments, id, 'request'), { recursive: true })
    writeFileSync(join(deployments, id, 'request', 'env'), 'SECRET=x\n')
    if (state) writeFileSync(join(deployments, id, 'state'), state)
  }
  // `dk` stands in for docker (no images to list here): this test is about the env files only.
  const pruned = await run(
    `. "${LIB}/deploy-cleanup.sh"; dk() { :; }; prefix=p; HOME="$1"; prune_app_images web 5`,
    home,
  )
  assert.equal(pruned.code, 0, pruned.stderr)
  assert.deepEqual(
    readdirSync(deployments)
      .filter((id) => existsSync(join(deployments, id, 'request', 'env')))
      .sort(),
    ['20250101T000100Z-bbbb'],
  )
})

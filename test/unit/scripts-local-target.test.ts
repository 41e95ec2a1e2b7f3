import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { sh } from '../../src-main/core/shell/quote'
import { LocalTarget } from '../../src-main/core/targets/local-target'

const target = new LocalTarget()

test('runs sh -c and reports exit code, stdout and stderr', async () => {
  const result = await target.exec('echo out; echo err >&2; exit 3')
  assert.deepEqual(result, { code: 3, stdout: 'out\n', stderr: 'err\n' })
})

test('feeds stdin, then closes it', async () => {
  assert.equal((await target.exec('cat; echo end', { stdin: 'a\nb\n' })).stdout, 'a\nb\nend\n')
  assert.equal((await target.exec('cat', { stdin: Buffer.from([0xc3, 0xbc]) })).stdout, 'ü')
  assert.equal((await target.exec('true', { stdin: 'x'.repeat(1 << 20) })).code, 0)
})

test('streams output to the callbacks instead of collecting it', async () => {
  const out: string[] = []
  const err: string[] = []
  const result = await target.exec('echo one; sleep 0.1; echo two; echo three >&2', {
    onStdout: (chunk) => out.push(chunk.toString()),
    onStderr: (chunk) => err.push(chunk.toString()),
  })
  assert.equal(out.join(''), 'one\ntwo\n')
  assert.equal(err.join(''), 'three\n')
  assert.deepEqual([result.stdout, result.stderr], ['', ''])
})

test('a command killed by a signal reports 128 + its number, like sh', async () => {
  assert.equal((await target.exec('kill -TERM $$')).code, 143)
  assert.equal((await target.exec('kill -KILL $$')).code, 137)
})

test('uses the environment it was given', async () => {
  const local = new LocalTarget({ env: { PATH: process.env.PATH, HOME: '/nowhere' } })
  assert.equal((await local.exec('echo "$HOME"')).stdout, '/nowhere\n')
})

test('aborting kills the whole process group and rejects with the reason', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'helvetia-local-target-'))
  const marker = join(dir, 'survived')
  try {
    const controller = new AbortController()
    const started = Date.now()
    // The grandchild would create the marker after 1s if the abort left it alive.
    const run = target.exec(sh`(sleep 1; touch ${marker}) & wait`, { signal: controller.signal })
    await sleep(200)
    controller.abort(new Error('stop'))
    await assert.rejects(run, /stop/)
    assert.ok(Date.now() - started < 1000)
    await sleep(1200)
    assert.equal(existsSync(marker), false)
    await assert.rejects(target.exec('true', { signal: controller.signal }), /stop/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { createLogFollower, type DeployEvent } from '../../src-main/core/deploy/deploy-log'
import { UserError } from '../../src-main/core/errors'
import { ScriptRunner } from '../../src-main/core/remote/script-runner'
import type { ExecOptions, Target } from '../../src-main/core/targets/target'

const SECRET = 'sk_live_0123456789abcdef'
const scripts = new ScriptRunner({
  scriptsDir: fileURLToPath(new URL('../../remote-scripts', import.meta.url)),
})

/**
 * A server whose log is `log`, sent in `size`-byte chunks from the offset deploy-follow.sh is given
 * (its bundle taken as installed); the first attach drops after `dropAt` bytes.
 */
function fakeServer(log: string, size: number, dropAt = Infinity) {
  const bytes = Buffer.from(log)
  const commands: string[] = []
  const target: Target = {
    kind: 'ssh',
    async exec(command: string, options: ExecOptions = {}) {
      commands.push(command)
      const from = Number(/'--offset' '(\d+)'/.exec(command)?.[1])
      const end = commands.length === 1 ? Math.min(dropAt, bytes.length) : bytes.length
      for (let at = from; at < end; at += size) {
        if (options.signal?.aborted) break
        options.onStdout?.(bytes.subarray(at, Math.min(at + size, end)))
      }
      if (end < bytes.length) throw new UserError('SSH_CONNECTION_LOST', 'dropped')
      return { code: 0, stdout: '', stderr: '' }
    },
  }
  return { target, commands }
}

test('the log stream masks a secret split across chunks, and its base64, and ends at the last line', async () => {
  const log = [
    '::helvetia:: step=build status=running Building',
    `echo ${SECRET}`,
    Buffer.from(SECRET).toString('base64'),
    '::helvetia:: step=deploy status=done live',
    'after the end',
    '',
  ].join('\n')
  for (const size of [1, 3, 7, 64]) {
    const events: DeployEvent[] = []
    const follower = createLogFollower({
      scripts,
      prefix: 'helvetia',
      app: 'web',
      id: 'x',
      secrets: [SECRET],
      onEvent: (e) => events.push(e),
    })
    await follower.follow(fakeServer(log, size).target)
    const text = JSON.stringify(events)
    assert.ok(
      !text.includes(SECRET) && !text.includes(Buffer.from(SECRET).toString('base64').slice(0, -4)),
      `chunks of ${size}`,
    )
    const logLines = events.flatMap((e) => (e.type === 'log' ? [e.line] : []))
    assert.deepEqual(logLines, ['echo ••••••', '••••••'], `chunks of ${size}`)
    assert.equal(follower.outcome, 'succeeded')
    assert.ok(!text.includes('after the end'))
  }
})

test('after a drop, following again continues from the last byte: nothing repeated, nothing lost', async () => {
  const lines = Array.from({ length: 50 }, (_, i) => `line ${i}`)
  const log = `${lines.join('\n')}\n::helvetia:: step=deploy status=failed code=HEALTH_CHECK_FAILED no\n`
  const server = fakeServer(log, 5, 123)
  const seen: string[] = []
  const follower = createLogFollower({
    scripts,
    prefix: 'helvetia',
    app: 'web',
    id: '20250101-000000-abcd',
    secrets: [],
    onEvent: (e) => e.type === 'log' && seen.push(e.line),
  })
  await assert.rejects(follower.follow(server.target), { code: 'SSH_CONNECTION_LOST' })
  assert.equal(follower.offset, 123)
  await follower.follow(server.target)
  assert.deepEqual(seen, lines)
  assert.equal(follower.outcome, 'failed')
  assert.match(server.commands[1] ?? '', /'--offset' '123'/)
  assert.match(
    server.commands[0] ?? '',
    /'deploy-follow\.sh' '--prefix' 'helvetia' '--app' 'web' '--id' '20250101-000000-abcd' '--offset' '0'/,
  )
})

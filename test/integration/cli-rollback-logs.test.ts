/**
 * Through the real `helvetia` command: `rollback --to ID` goes back to a deployment older than the
 * previous one, and `logs --follow` streams a line the app prints while it follows, then ends cleanly
 * on Ctrl-C (SIGINT).
 */
import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { AppHistory, Deployment } from '../../src-main/core/deploy/deployment-record'
import { CLI_PREFIX, cliBed, createFolderAppArgs } from '../support/cli'
import { get, writeFiles } from './deploy-support'

const BIN = fileURLToPath(new URL('../../src-main/cli/bin.mjs', import.meta.url))

test('rollback --to an older deployment, and logs --follow until Ctrl-C', async (t) => {
  const app = 'clirollto'
  const bed = await cliBed(t, app)
  if (!bed) return
  const { server, home, run, httpPort } = bed
  const folder = await mkdtemp(join(tmpdir(), 'helvetia-cli-rollback-'))
  t.after(() => rm(folder, { recursive: true, force: true }))
  // The app says so when it starts, so the followed log has a first line to wait for.
  const version = (page: string) =>
    writeFiles(folder, {
      Dockerfile: `FROM ${server.images.busybox}\nCOPY . /app\nCMD ["sh", "/app/start.sh"]\n`,
      'www/index.html': page,
      'start.sh': `echo "serving ${page.trim()}"\nexec httpd -f -p 8080 -h /app/www\n`,
    })
  await version('one\n')
  await run(createFolderAppArgs(app, folder))
  const ids: string[] = []
  for (const page of ['one\n', 'two\n', 'three\n']) {
    await version(page)
    const deployment = JSON.parse((await run(['deploy', app, '--json'])).stdout) as Deployment
    assert.equal(deployment.status, 'succeeded')
    ids.push(deployment.id)
  }
  assert.equal((await get(httpPort, `${app}.test`)).body, 'three\n')

  // Two back: not the previous deployment (two), the first one.
  const back = JSON.parse((await run(['rollback', app, '--to', ids[0]!, '--json'])).stdout) as Deployment
  assert.equal(back.status, 'succeeded')
  assert.equal(back.rollbackOf, ids[0])
  assert.equal((await get(httpPort, `${app}.test`)).body, 'one\n')
  const history = JSON.parse((await run(['deployments', app, '--json'])).stdout) as AppHistory
  assert.equal(history.current, back.id)

  // logs --follow, as a person runs it: it streams, takes a line printed now, and stops on Ctrl-C.
  const follow = spawn(process.execPath, [BIN, 'logs', app, '--follow', '--tail', '5'], {
    env: { ...process.env, HELVETIA_PREFIX: CLI_PREFIX, HELVETIA_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  t.after(() => follow.exitCode === null && follow.signalCode === null && follow.kill('SIGKILL'))
  let stdout = ''
  let stderr = ''
  follow.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  follow.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const exited = once(follow, 'exit')
  /** Waits for `text` in the followed output; a bound, not a speed claim: the command may not hang. */
  const arrives = async (text: string) => {
    for (const until = Date.now() + 60_000; !stdout.includes(text);) {
      if (follow.exitCode !== null) assert.fail(`logs --follow exited early: ${stderr}`)
      if (Date.now() > until) assert.fail(`"${text}" did not arrive: ${stdout}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  await arrives('serving one')
  // A line the app prints now: written to its main process's standard output.
  const marker = `followed-${randomBytes(4).toString('hex')}`
  // The live container is the rollback's (the others may still be draining): named prefix-app-id.
  const container = `${CLI_PREFIX}-${app}-${back.id}`
  execFileSync('docker', ['exec', container, 'sh', '-c', `echo ${marker} >/proc/1/fd/1`])
  await arrives(marker)
  follow.kill('SIGINT')
  const [code, signal] = await exited
  assert.deepEqual({ code, signal, stderr }, { code: 0, signal: null, stderr: '' }, 'a clean exit')
})

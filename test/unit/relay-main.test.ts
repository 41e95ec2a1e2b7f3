/**
 * What the relay prints when it starts on its own (`node relay/main.js serve`, as its container runs it):
 * the exact connect-webhook command, with the file its token is kept in (without the token the command
 * fails), or a placeholder when the token came from the environment and no file holds it.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

const RELAY_MAIN = fileURLToPath(new URL('../../relay/main.js', import.meta.url))

/** Starts the relay, returns what it printed up to its last line, and stops it. */
async function startMessage(dataDir: string, env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(process.execPath, [RELAY_MAIN, 'serve', '--port', '0', '--data', dataDir], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let stdout = ''
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk
        if (stdout.includes('Press Ctrl+C to stop.')) resolve()
      })
      child.once('exit', (code) => reject(new Error(`the relay exited (${code}):\n${stdout}`)))
    })
  } finally {
    child.kill('SIGKILL')
  }
  return stdout
}

test('the relay started on its own prints the connect command with its token file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "helvetia relay's "))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const { HELVETIA_RELAY_TOKEN: _, ...env } = process.env
  const printed = await startMessage(dir, env)
  const file = join(dir, 'token')
  const token = readFileSync(file, 'utf8').trim()
  assert.ok(printed.includes(`\n  ${token}\n`), 'the generated token is shown once')
  const quoted = `'${file.replaceAll("'", `'\\''`)}'`
  assert.match(
    printed,
    /helvetia app connect-webhook NAME --relay 'http:\/\/127\.0\.0\.1:\d+' --relay-token-file (.+)\n/,
  )
  assert.ok(printed.includes(`--relay-token-file ${quoted}\n`), printed)
})

test('a relay given its token in the environment says to write it to a file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'helvetia-relay-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const printed = await startMessage(dir, { ...process.env, HELVETIA_RELAY_TOKEN: 'e'.repeat(64) })
  assert.ok(!printed.includes('e'.repeat(64)), 'a token it was given is not printed')
  assert.ok(printed.includes('--relay-token-file FILE\n'), printed)
  assert.ok(printed.includes('write the token it was given to a file'), printed)
})

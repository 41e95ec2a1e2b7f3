/**
 * Secrets never reach a log: an app that prints its secret env value at run time (as itself, its
 * base64 at two alignments and its URL encoding) is deployed through the real `helvetia` command and
 * through the API (`apps:deploy`), its logs read through both (`apps:logs`, `logs`), with the secret
 * values the core itself takes from the keychain. Then neither the CLI's output, nor any streamed
 * line, nor any file under the data folder (SQLite included) or the server's Helvetia folder holds the
 * secret in any of those forms, except the 0600 env and mask files that exist to hold it.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { test } from 'node:test'
import type { DeployProgress, LogBatch } from '../../src-main/api/contract'
import { createCore } from '../../src-main/core/create-core'
import { createKeytarVault } from '../../src-main/core/vault/vault'
import { CLI_PREFIX, cliBed, createFolderAppArgs } from '../support/cli'
import { APP_ROOT } from '../support/temp-home'
import { get, writeFiles } from './deploy-support'

/** Every file under `dir` (path relative to it) and its content; other tests' files may vanish meanwhile. */
function filesUnder(dir: string): { path: string; full: string; content: Buffer }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).flatMap((path) => {
    const full = join(dir, path)
    try {
      return statSync(full).isFile() ? [{ path, full, content: readFileSync(full) }] : []
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw error
    }
  })
}

/**
 * The forms of `secret` a log could show, computed here rather than by the masker under test: itself,
 * the characters of its base64 (and base64url) that carry only its own bits at each byte alignment,
 * and its URL encodings.
 */
function revealingForms(secret: string): string[] {
  const forms = [secret, encodeURIComponent(secret), encodeURIComponent(secret).replaceAll('%20', '+')]
  for (const pad of ['', 'x', 'xy']) {
    const encoded = Buffer.from(pad + secret).toString('base64')
    const stable = encoded.slice(pad.length === 0 ? 0 : 4, -4)
    forms.push(stable, stable.replaceAll('+', '-').replaceAll('/', '_'))
  }
  return forms
}

test('a secret the app prints at run time reaches no output, streamed line or stored file (CLI and API)', async (t) => {
  const app = 'cliseal'
  const bed = await cliBed(t, app)
  if (!bed) return
  const { server, home, run, httpPort } = bed
  // A space, `/`, `+`, `=` and `&`: its base64 and URL forms differ from it and from each other.
  const secret = `tok ${randomBytes(12).toString('hex')}/a+b=c&d`
  const folder = await mkdtemp(join(tmpdir(), 'helvetia-secrets-'))
  t.after(() => rm(folder, { recursive: true, force: true }))
  await writeFiles(folder, {
    Dockerfile: [
      `FROM ${server.images.busybox}`,
      // Secrets are not build arguments (app-spec: `build` defaults to false for a secret): empty here.
      'ARG API_TOKEN',
      'RUN echo "build sees [$API_TOKEN]"',
      'COPY www /www',
      'COPY start.sh /start.sh',
      'CMD ["sh", "/start.sh"]',
      '',
    ].join('\n'),
    'www/index.html': 'sealed\n',
    'start.sh': [
      'echo "runtime sees [$API_TOKEN]"',
      'printf %s "$API_TOKEN" | base64',
      'printf x%s "$API_TOKEN" | base64',
      'printf %s "$API_TOKEN" | base64 | tr +/ -_',
      `printf '%s\\n' "$API_TOKEN" | sed 's/%/%25/g; s/ /%20/g; s#/#%2F#g; s/+/%2B/g; s/=/%3D/g; s/&/%26/g'`,
      'echo "plain is $PLAIN"',
      'exec httpd -f -p 8080 -h /www',
      '',
    ].join('\n'),
  })
  await run(createFolderAppArgs(app, folder))
  await run(['env', 'set', app, `API_TOKEN=${secret}`, '--secret'])
  await run(['env', 'set', app, 'PLAIN=visible'])

  const outputs: [string, string][] = []
  const cliDeploy = await run(['deploy', app])
  outputs.push(['deploy (CLI) stdout', cliDeploy.stdout], ['deploy (CLI) stderr', cliDeploy.stderr])
  assert.match(cliDeploy.stderr, /build sees \[\]/, 'the build does not get the secret')
  assert.equal((await get(httpPort, `${app}.test`)).body, 'sealed\n')

  // The API, as the desktop app calls it, on the same data folder and keychain as the CLI.
  const core = createCore({
    home,
    appRoot: APP_ROOT,
    vault: createKeytarVault(),
    face: 'test',
    knownHostsPath: '/nonexistent',
    prefix: CLI_PREFIX,
  })
  t.after(() => core.close())
  const collect = async <T>(items: AsyncIterable<T>) => {
    const all: T[] = []
    for await (const item of items) all.push(item)
    return all
  }
  const signal = new AbortController().signal
  await writeFiles(folder, { 'www/index.html': 'sealed again\n' })
  const deployed = await collect<DeployProgress>(core.api['apps:deploy']({ name: app }, signal))
  const last = deployed.at(-1)
  assert.ok(last?.type === 'done' && last.deployment.status === 'succeeded', JSON.stringify(last))
  outputs.push(['apps:deploy stream', JSON.stringify(deployed)])
  const replay = await collect<DeployProgress>(
    core.api['apps:deployment-log']({ name: app, id: last.deployment.id }, signal),
  )
  outputs.push(['apps:deployment-log stream', JSON.stringify(replay)])

  const apiLines = (await collect<LogBatch>(core.api['apps:logs']({ name: app, tail: 50 }, signal))).flatMap(
    (batch) => batch.lines,
  )
  outputs.push(['apps:logs stream', apiLines.join('\n')])
  const cliLogs = await run(['logs', app, '--tail', '50'])
  outputs.push(['logs (CLI) stdout', cliLogs.stdout], ['logs (CLI) stderr', cliLogs.stderr])
  // The app did print it, in every form, and the reader masked what it read.
  for (const lines of [apiLines, cliLogs.stdout.split('\n')]) {
    assert.ok(lines.includes('runtime sees [••••••]'), lines.join('\n'))
    assert.ok(lines.includes('plain is visible'), 'plain values are not masked')
    assert.ok(lines.filter((line) => line.includes('••••••')).length >= 5, lines.join('\n'))
  }
  core.close()

  const forms = revealingForms(secret)
  const holds = (text: string | Buffer) => forms.find((form) => text.includes(form))
  for (const [where, text] of outputs) assert.equal(holds(text), undefined, `${where} holds the secret`)

  // Everything Helvetia keeps, here and on the server. The server's env and mask files hold the secret
  // by design (0600): they are what Docker reads and what the server's filter masks with.
  const serverHome = execFileSync('sh', ['-c', `echo ~${server.user}`], { encoding: 'utf8' }).trim()
  const serverDir = join(serverHome, `.${CLI_PREFIX}`)
  const secretStores = new RegExp(`^apps/${app}/(env|deployments/[^/]+/request/(env|mask-patterns))$`)
  let checked = 0
  for (const [root, files] of [
    [home, filesUnder(home)],
    [serverDir, filesUnder(serverDir)],
  ] as const) {
    for (const file of files) {
      if (root === serverDir && secretStores.test(file.path)) {
        assert.equal(statSync(file.full).mode & 0o077, 0, `${file.path} is readable by others`)
        continue
      }
      checked++
      assert.equal(holds(file.content), undefined, `${relative('/', file.full)} holds the secret`)
    }
  }
  assert.ok(checked > 10, `only ${checked} files checked`)
  assert.ok(
    filesUnder(home).some((file) => file.path === 'helvetia.db'),
    'the data folder has its database',
  )
})

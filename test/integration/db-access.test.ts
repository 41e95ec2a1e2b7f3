/**
 * Databases reached from this computer and linked to apps, through the real core (its databases
 * service creates the database on the test server): Debian's psql through the tunnel (the API's, and
 * the CLI's `db tunnel --json` closed by SIGINT), the engine's client in a terminal, link and unlink (a
 * pending secret in the app's env, the link on the server), and an app that reads and writes rows
 * through DATABASE_URL, its table made by its release command, across a redeploy and a rollback.
 */
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { connect, createServer } from 'node:net'
import { createInterface } from 'node:readline'
import { test } from 'node:test'
import { promisify } from 'node:util'
import type { TerminalEvent, TunnelEvent } from '../../src-main/api/contract'
import { sh } from '../../src-main/core/shell/quote'
import { databaseAccount } from '../../src-main/core/vault/accounts'
import { createKeytarVault } from '../../src-main/core/vault/vault'
import { addServerArgs, helvetia } from '../support/cli'
import { tempHome } from '../support/temp-home'
import { failsWith } from '../support/user-error'
import { coreTestbed } from './core-support'

const run = promisify(execFile)
const IMAGE = process.env.HELVETIA_TEST_IMAGE_POSTGRES ?? 'helvetia-test/postgres:15'
const BIN = new URL('../../src-main/cli/bin.mjs', import.meta.url).pathname

test('a Postgres database through a tunnel, a shell and a link to an app', async (t) => {
  const bed = await coreTestbed(t)
  if (!bed) return
  const { core, prefix } = bed
  bed.cleanup(
    sh`docker rm -f -v ${`${prefix}-db-pg`} ${`${prefix}-db-pgcli`}; ` +
      sh`docker volume rm ${`${prefix}-db-pg-data`} ${`${prefix}-db-pgcli-data`}; docker network rm ${prefix}`,
  )
  const vault = createKeytarVault()
  const serverId = core.servers.get(bed.serverName).id
  t.after(() => vault.delete(databaseAccount(serverId, 'pg')))
  const create = { name: 'pg', server: bed.serverName, engine: 'postgres' as const, image: IMAGE }
  for await (const event of core.api['databases:create'](create, new AbortController().signal)) {
    if (event.type === 'step' && event.status === 'failed') assert.fail(event.message)
  }
  const { password } = await core.api['databases:reveal']({ name: 'pg' })
  const dir = sh`"$HOME"/${`.${prefix}/databases/pg`}`
  const api = core.api

  await t.test("Debian's psql reads and writes through the tunnel; cancelling closes it", async () => {
    const abort = new AbortController()
    const events = api['databases:tunnel']({ name: 'pg' }, abort.signal)[Symbol.asyncIterator]()
    const first = (await events.next()).value as TunnelEvent
    assert.ok(first.type === 'listening', JSON.stringify(first))
    assert.match(first.url, new RegExp(`^postgres://helvetia:[^@]+@127\\.0\\.0\\.1:${first.port}/pg$`))
    const psql = async (sql: string) => (await run('psql', [first.url, '-tAqc', sql])).stdout.trim()
    await psql('CREATE TABLE notes (body text)')
    await psql("INSERT INTO notes VALUES ('through the tunnel')")
    assert.equal(await psql('SELECT body FROM notes'), 'through the tunnel')
    abort.abort()
    while (!(await events.next()).done);
    await assert.rejects(
      new Promise((resolve, reject) =>
        connect(first.port, '127.0.0.1').once('connect', resolve).once('error', reject),
      ),
      { code: 'ECONNREFUSED' },
    )
  })

  await t.test('helvetia db tunnel --json: psql through its URL; SIGINT closes it', async () => {
    const home = tempHome(t)
    const env = { ...process.env, HELVETIA_HOME: home, HELVETIA_PREFIX: prefix }
    const cli = async (args: string[]) => {
      const result = await helvetia(home, args, '', { HELVETIA_PREFIX: prefix })
      assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`)
    }
    await cli(addServerArgs(bed.server, 'edge', '--identity', bed.server.keyPath))
    const id = core.servers.get(bed.serverName).id
    t.after(() => vault.delete(databaseAccount(id, 'pgcli')))
    await cli(['db', 'create', 'pgcli', '--server', 'edge', '--engine', 'postgres', '--image', IMAGE])
    const tunnel = spawn(process.execPath, [BIN, 'db', 'tunnel', 'pgcli', '--json'], { env })
    t.after(() => tunnel.kill())
    const exited = new Promise<number | null>((resolve) => tunnel.once('exit', resolve))
    const lines = createInterface({ input: tunnel.stdout })[Symbol.asyncIterator]()
    const first = await lines.next()
    assert.ok(!first.done, 'a first line')
    const { url } = JSON.parse(first.value) as { url: string }
    assert.match(url, /^postgres:\/\/helvetia:[^@]+@127\.0\.0\.1:[0-9]+\/pgcli$/)
    const psql = async (sql: string) => (await run('psql', [url, '-tAqc', sql])).stdout.trim()
    await psql('CREATE TABLE t (n int)')
    await psql('INSERT INTO t VALUES (7)')
    assert.equal(await psql('SELECT n FROM t'), '7')
    tunnel.kill('SIGINT')
    assert.equal(await exited, 0, 'closed cleanly')
    const port = Number(new URL(url).port)
    await assert.rejects(
      new Promise((resolve, reject) =>
        connect(port, '127.0.0.1').once('connect', resolve).once('error', reject),
      ),
      { code: 'ECONNREFUSED' },
    )
  })

  await t.test('a port that is taken is refused with PORT_IN_USE', async () => {
    const holder = connectServer()
    const port = await holder.port
    t.after(() => holder.close())
    const opening = (async () => {
      for await (const event of api['databases:tunnel']({ name: 'pg', port }, new AbortController().signal)) {
        return event
      }
    })()
    await assert.rejects(opening, failsWith('PORT_IN_USE'))
  })

  await t.test('db shell: psql in the container, its password never on a command line', async () => {
    const { terminals } = core
    const session = await terminals.open({ kind: 'database', name: 'pg', rows: 24, cols: 80 })
    let text = ''
    const until = async (pattern: RegExp): Promise<TerminalEvent | undefined> => {
      for (;;) {
        if (pattern.test(text)) return undefined
        const next = await session.output.next()
        if (next.done) return undefined
        if (next.value.type === 'data') text += next.value.data
        if (next.value.type === 'exit') return next.value
      }
    }
    assert.equal(await until(/pg=[#>] $/), undefined, `the prompt, not an exit: ${text}`)
    const ps = await bed.run('ps -eo args')
    assert.ok(!ps.includes(password), 'the password is on no command line of the server')
    terminals.input(session.id, 'SELECT 40 + 2 AS answer;\r')
    assert.equal(await until(/42\r?\n\(1 row\)/), undefined, text)
    terminals.input(session.id, '\\q\r')
    const exit = await until(/$^/)
    assert.deepEqual(exit, { type: 'exit', code: 0 })
  })

  // The app: busybox's httpd serving a CGI script that runs psql "$DATABASE_URL" (from the image).
  const folder = await bed.folder({
    Dockerfile: [
      `FROM ${IMAGE}`,
      `COPY --from=${bed.server.images.busybox} /bin/busybox /usr/local/bin/busybox`,
      'COPY www /www',
      'RUN chmod +x /www/cgi-bin/count',
      'ENTRYPOINT []',
      'CMD ["/usr/local/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/www"]',
      '',
    ].join('\n'),
    'www/index.html': 'up\n',
    'www/cgi-bin/count': [
      '#!/bin/sh',
      'printf "Content-Type: text/plain\\r\\n\\r\\n"',
      'psql "$DATABASE_URL" -tAq -c "INSERT INTO hits DEFAULT VALUES" -c "SELECT count(*) FROM hits" 2>&1',
      '',
    ].join('\n'),
  })
  core.apps.create({
    name: 'web',
    server: bed.serverName,
    source: { kind: 'folder', path: folder },
    port: 8080,
    domains: ['http://web.test'],
    healthPath: '/index.html',
  })
  const linksFile = () => bed.run(`cat ${dir}/links`)

  await t.test('link: a pending secret DATABASE_URL in the env, the link on the server', async () => {
    assert.deepEqual(await api['databases:link']({ name: 'pg', app: 'web' }), { key: 'DATABASE_URL' })
    const env = core.apps.listEnv('web')
    assert.deepEqual(env.vars, [{ key: 'DATABASE_URL', value: '••••••', secret: true }])
    assert.equal(env.pending, true)
    assert.equal(await linksFile(), 'web DATABASE_URL\n')
    // Linked again: the same key, still one line.
    await api['databases:link']({ name: 'pg', app: 'web' })
    assert.equal(await linksFile(), 'web DATABASE_URL\n')
    // A key the app has for something else is not overwritten.
    await core.apps.setEnv('web', [{ key: 'MODE', value: 'x' }], false)
    await assert.rejects(
      api['databases:link']({ name: 'pg', app: 'web', as: 'MODE' }),
      failsWith('ENV_KEY_IN_USE'),
    )
    await assert.rejects(
      api['databases:link']({ name: 'pg', app: 'web', as: '1BAD' }),
      failsWith('INVALID_OPTION'),
    )
    assert.equal(await linksFile(), 'web DATABASE_URL\n')
  })

  await t.test('the linked app reads and writes rows; a redeploy and a rollback keep them', async () => {
    // The table comes from the release command, run with the new env before the switch: the first
    // request already finds it (the script above only inserts and counts).
    core.apps.update('web', {
      releaseCommand: 'psql "$DATABASE_URL" -c "CREATE TABLE IF NOT EXISTS hits (id serial)"',
    })
    const count = async () => {
      const { status, body } = await bed.get('web.test', '/cgi-bin/count')
      assert.equal(status, 200, body)
      return body.trim()
    }
    const first = await core.apps.deploy('web')
    assert.equal(first.status, 'succeeded')
    assert.equal(await count(), '1')
    assert.equal(await count(), '2')
    assert.equal((await core.apps.deploy('web')).status, 'succeeded')
    assert.equal(await count(), '3')
    assert.equal((await core.apps.rollback('web', { to: first.id })).status, 'succeeded')
    assert.equal(await count(), '4')
  })

  await t.test('unlink removes the env key (pending) and the link on the server', async () => {
    await api['databases:unlink']({ name: 'pg', app: 'web' })
    assert.deepEqual(
      core.apps.listEnv('web').vars.map((v) => v.key),
      ['MODE'],
    )
    assert.equal(core.apps.listEnv('web').pending, true)
    assert.equal(await linksFile(), '')
    await assert.rejects(
      api['databases:unlink']({ name: 'pg', app: 'web' }),
      failsWith('DATABASE_NOT_LINKED'),
    )
  })
})

/** A TCP server on a free port of 127.0.0.1, holding it. */
function connectServer() {
  const server = createServer()
  const port = new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  )
  return { port, close: () => server.close() }
}

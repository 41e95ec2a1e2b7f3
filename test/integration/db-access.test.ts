/**
 * Databases reached from this computer and linked to apps, through the real core's apps, servers,
 * scripts and SSH connection: Debian's psql through the tunnel, the engine's client in a terminal,
 * link and unlink (a pending secret in the app's env, the link on the server), and an app that reads
 * and writes rows through DATABASE_URL across a redeploy and a rollback.
 *
 * The database is made by hand as the agreed layout has it (container `<prefix>-db-pg` on the prefix's
 * network with its labels, its folder, 0600 credentials file and record), and its facts come from
 * the test (`connectionOf`): the databases service that creates them is another branch's (h/db).
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { connect, createServer } from 'node:net'
import { test } from 'node:test'
import { promisify } from 'node:util'
import type { TerminalEvent, TunnelEvent } from '../../src-main/api/contract'
import { databaseAccessApi } from '../../src-main/core/databases/database-access-api'
import type { DatabaseConnection } from '../../src-main/core/databases/database-connection'
import { createDatabaseLinks } from '../../src-main/core/databases/database-links'
import { ScriptRunner } from '../../src-main/core/remote/script-runner'
import { sh } from '../../src-main/core/shell/quote'
import { createTerminals } from '../../src-main/core/terminals/terminals'
import { localGate } from '../../src-main/core/this-computer'
import { APP_ROOT } from '../support/temp-home'
import { failsWith } from '../support/user-error'
import { coreTestbed } from './core-support'

const run = promisify(execFile)
const IMAGE = process.env.HELVETIA_TEST_IMAGE_POSTGRES ?? 'helvetia-test/postgres:15'
const PASSWORD = 'pw-3f9a1c7e5b'

test('a Postgres database through a tunnel, a shell and a link to an app', async (t) => {
  const bed = await coreTestbed(t)
  if (!bed) return
  const { core, prefix } = bed
  const container = `${prefix}-db-pg`
  const dir = sh`"$HOME"/${`.${prefix}/databases/pg`}`
  await bed.run(
    sh`docker run -d --name ${container} --network ${prefix} --label dev.helvetia.prefix=${prefix} ` +
      sh`--label dev.helvetia.database=pg -e POSTGRES_USER=helvetia -e POSTGRES_PASSWORD=${PASSWORD} ` +
      sh`-e POSTGRES_DB=pg ${IMAGE} >/dev/null && ` +
      `mkdir -p ${dir} && echo '{"engine":"postgres"}' >${dir}/database.json && (umask 077; ` +
      sh`printf '%s\n' "DB_USER='helvetia'" ${`DB_PASSWORD='${PASSWORD}'`} "DB_NAME='pg'" >` +
      `${dir}/credentials) && ` +
      // Ready once it answers over TCP: the image's first start runs a server on its socket only.
      sh`for i in $(seq 120); do docker exec -e PGPASSWORD=${PASSWORD} ${container} psql -h 127.0.0.1 -U helvetia -d pg -tAc 'SELECT 1' >/dev/null 2>&1 && exit 0; sleep 0.5; done; exit 1`,
  )
  const server = core.servers.get(bed.serverName)
  const connectionOf = async (name: string): Promise<DatabaseConnection> => ({
    name,
    server,
    engine: 'postgres',
    port: 5432,
    host: container,
    url: (host, port) => `postgres://helvetia:${PASSWORD}@${host}:${port}/pg`,
  })
  const scripts = new ScriptRunner({ scriptsDir: `${APP_ROOT}/remote-scripts`, prefix })
  const deps = { connectionOf, servers: core.servers, scripts, prefix }
  const links = createDatabaseLinks({ ...deps, apps: core.apps })
  const api = databaseAccessApi(links, deps)

  await t.test("Debian's psql reads and writes through the tunnel; cancelling closes it", async () => {
    const abort = new AbortController()
    const events = api['databases:tunnel']({ name: 'pg' }, abort.signal)[Symbol.asyncIterator]()
    const first = (await events.next()).value as TunnelEvent
    assert.ok(first.type === 'listening', JSON.stringify(first))
    assert.equal(first.url, `postgres://helvetia:${PASSWORD}@127.0.0.1:${first.port}/pg`)
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
    const terminals = createTerminals({
      servers: core.servers,
      apps: core.apps,
      databases: { connectionOf },
      scripts,
      prefix,
      local: localGate('test'),
    })
    t.after(() => terminals.closeAll())
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
    await until(/pg=# $/)
    const ps = await bed.run('ps -eo args')
    assert.ok(!ps.includes(PASSWORD), 'the password is on no command line of the server')
    terminals.input(session.id, 'SELECT 40 + 2 AS answer;\r')
    await until(/42\r?\n\(1 row\)/)
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
      'psql "$DATABASE_URL" -tAq -c "SET client_min_messages = warning" -c "CREATE TABLE IF NOT EXISTS hits (id serial)" -c "INSERT INTO hits DEFAULT VALUES" -c "SELECT count(*) FROM hits" 2>&1',
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

/**
 * Databases through the real `helvetia` command, on the test server under a prefix of the test's own:
 * a Postgres, a MariaDB and a Redis database created from the test suite's images (the official
 * images' environment contract), reachable on Helvetia's network only and with the generated
 * credentials; their credentials in a 0600 file on the server and in the keychain, never in the store
 * or the output; listed, described, refused when their name is an app's, and removed with and without
 * their data.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import type { DatabaseInfo, DatabaseListing } from '../../src-main/api/contract'
import { connectInProcess } from '../../src-main/api/in-process'
import type { DatabaseCredentials } from '../../src-main/core/databases/engines'
import { sh } from '../../src-main/core/shell/quote'
import { databaseAccount } from '../../src-main/core/vault/accounts'
import { createKeytarVault } from '../../src-main/core/vault/vault'
import { addServerArgs, helvetia, type CliResult } from '../support/cli'
import { requireKeychain } from '../support/keychain'
import { tempHome } from '../support/temp-home'
import { prefixedCore } from './core-support'
import { busyboxApp, writeFiles } from './deploy-support'
import { provisionTestbed } from './provision-support'

const ENGINE_PORTS = ['5432', '3306', '6379']

/** The ports listening on this machine (the test server is this machine), from `ss -ltn`. */
function listeningPorts(): Set<string> {
  const out = execFileSync('ss', ['-Hltn'], { encoding: 'utf8' })
  return new Set(out.split('\n').flatMap((line) => line.split(/\s+/)[3]?.replace(/^.*:/, '') ?? []))
}

test('db create, info, list and remove through the CLI, on the network only', async (t) => {
  if (!requireKeychain(t)) return
  const bed = provisionTestbed(t)
  if (!bed) return
  const { prefix, server, run: onServer } = bed
  const home = tempHome(t)
  const outputs: CliResult[] = []
  const cli = async (args: string[], ok = true) => {
    const result = await helvetia(home, args, '', { HELVETIA_PREFIX: prefix })
    outputs.push(result)
    if (ok) assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`)
    return result
  }
  const names = { pg: server.images.postgres, maria: server.images.mariadb, cache: server.images.redis }
  bed.cleanup(
    sh`docker rm -f -v ${Object.keys(names).map((n) => `${prefix}-db-${n}`)}; ` +
      sh`docker volume rm ${Object.keys(names).map((n) => `${prefix}-db-${n}-data`)}; docker network rm ${prefix}`,
  )
  await cli(addServerArgs(server, 'edge', '--identity', server.keyPath))
  const serverId =
    (JSON.parse((await cli(['server', 'list', '--json'])).stdout) as { id: string }[])[0]?.id ?? ''
  const vault = createKeytarVault()
  t.after(async () => {
    for (const name of Object.keys(names)) await vault.delete(databaseAccount(serverId, name))
  })
  const before = listeningPorts()

  const created = await Promise.all([
    cli(['db', 'create', 'pg', '--server', 'edge', '--engine', 'postgres', '--image', names.pg, '--json']),
    cli(['db', 'create', 'maria', '--server', 'edge', '--engine', 'mariadb', '--image', names.maria]),
    cli([
      'db',
      'create',
      'cache',
      '--server',
      'edge',
      '--engine',
      'redis',
      '--image',
      names.cache,
      '--memory',
      '64m',
    ]),
  ])
  assert.match(created[0].stderr, /✓ postgres accepts connections/, 'progress on stderr')
  const pg = JSON.parse(created[0].stdout) as DatabaseInfo
  assert.deepEqual(
    [pg.name, pg.server, pg.engine, pg.version, pg.image, pg.state, pg.host, pg.port],
    ['pg', 'edge', 'postgres', '15', names.pg, 'running', `${prefix}-db-pg`, 5432],
  )

  // No port of the host: nothing new listens on an engine's port, and Docker publishes none.
  const after = listeningPorts()
  assert.deepEqual(
    ENGINE_PORTS.filter((port) => after.has(port) && !before.has(port)),
    [],
    'no engine port listens on the host',
  )
  for (const name of Object.keys(names)) {
    const info = await bed.inspect(`${prefix}-db-${name}`)
    assert.deepEqual(info.HostConfig.PortBindings ?? {}, {}, `${name} publishes no port`)
    assert.deepEqual(Object.keys(info.NetworkSettings.Networks), [prefix], `${name} is on ${prefix} only`)
    assert.equal(info.HostConfig.RestartPolicy.Name, 'unless-stopped')
    assert.equal(info.Config.Labels['dev.helvetia.database'], name)
  }

  // The credentials: in the keychain, in a 0600 file on the server, nowhere else.
  const credentials: Record<string, DatabaseCredentials> = {}
  for (const name of Object.keys(names)) {
    const json = await vault.get(databaseAccount(serverId, name))
    assert.ok(json, `${name}'s credentials are in the keychain`)
    credentials[name] = JSON.parse(json) as DatabaseCredentials
    const file = sh`"$HOME"/${`.${prefix}/databases/${name}/credentials`}`
    assert.equal((await onServer(`stat -c %a ${file}`)).trim(), '600')
    assert.match(
      await onServer(`cat ${file}`),
      new RegExp(`^DB_PASSWORD='${credentials[name].password}'$`, 'm'),
    )
  }
  const secrets = Object.values(credentials).flatMap((c) => [
    c.password,
    ...(c.rootPassword ? [c.rootPassword] : []),
  ])
  for (const file of await readdir(home, { recursive: true })) {
    const bytes = await readFile(join(home, file)).catch(() => Buffer.alloc(0))
    for (const secret of secrets) assert.ok(!bytes.includes(secret), `${file} holds no credential`)
  }
  const redisInspect = await onServer(sh`docker inspect ${`${prefix}-db-cache`}`)
  assert.ok(
    !redisInspect.includes(credentials.cache?.password ?? '?'),
    "redis's password is not in docker inspect",
  )

  // The engines answer the generated credentials from a throwaway container on the network.
  const client = (image: string, env: Record<string, string>, command: string[]) =>
    onServer(
      sh`env ${Object.entries(env).map(([k, v]) => `${k}=${v}`)} docker run --rm --network ${prefix} ${Object.keys(env).flatMap((k) => ['-e', k])} ${image} ${command}`,
    )
  const pgc = credentials.pg as DatabaseCredentials
  assert.equal(
    (
      await client(names.pg, { PGPASSWORD: pgc.password }, [
        'psql',
        '-h',
        `${prefix}-db-pg`,
        '-U',
        pgc.user,
        '-d',
        pgc.database,
        '-tAc',
        'SELECT 1',
      ])
    ).trim(),
    '1',
  )
  const mc = credentials.maria as DatabaseCredentials
  assert.equal(
    (
      await client(names.maria, { MYSQL_PWD: mc.password }, [
        'mariadb',
        '-h',
        `${prefix}-db-maria`,
        '-u',
        mc.user,
        '-NBe',
        'SELECT 1',
        mc.database,
      ])
    ).trim(),
    '1',
  )
  const redis = (auth: string, ...command: string[]) =>
    client(names.cache, { REDISCLI_AUTH: auth }, ['redis-cli', '-h', `${prefix}-db-cache`, ...command])
  const rc = credentials.cache as DatabaseCredentials
  assert.equal((await redis(rc.password, 'SET', 'kept', 'yes')).trim(), 'OK')
  assert.match(
    await redis('wrong-password', 'GET', 'kept'),
    /NOAUTH|WRONGPASS|invalid/i,
    'redis refuses another password',
  )

  // info and list show the server's record.
  const info = JSON.parse((await cli(['db', 'info', 'cache', '--json'])).stdout) as DatabaseInfo
  assert.equal(info.url, `redis://:••••••@${prefix}-db-cache:6379/0`)
  assert.deepEqual(
    [info.engine, info.version, info.memory, info.cpus, info.state],
    ['redis', '7', '64m', null, 'running'],
  )
  assert.deepEqual(info.backups, {
    lastGood: null,
    lastVerifiedRestore: null,
    lastFailure: null,
    stale: false,
  })
  const text = (await cli(['db', 'info', 'pg'])).stdout
  assert.match(text, new RegExp(`^URL +postgres://helvetia:••••••@${prefix}-db-pg:5432/pg `, 'm'))
  // The backups' health as the server records it (the backup pipeline and drills write these files).
  const pgDir = `.${prefix}/databases/pg`
  const good = {
    id: '20261201T030000Z-abcd',
    target: 's3',
    state: 'verified',
    at: '2026-12-01T03:00:00Z',
    error: null,
  }
  const drill = { backup: good.id, at: '2026-12-01T04:00:00Z', ok: true, counts: [] }
  await onServer(
    sh`cd "$HOME"/${pgDir} && mkdir backups drills && printf '%s\n' ${JSON.stringify(good)} >backups/${good.id}.json && ` +
      sh`printf '%s\n' ${JSON.stringify(drill)} >drills/${good.id}.json && printf 'every=1d\ntarget=s3\n' >schedule`,
  )
  const health = (JSON.parse((await cli(['db', 'info', 'pg', '--json'])).stdout) as DatabaseInfo).backups
  assert.deepEqual(health, {
    lastGood: { id: good.id, at: good.at, target: 's3' },
    lastVerifiedRestore: { backup: good.id, at: drill.at },
    lastFailure: null,
    stale: true,
  })
  assert.match(
    (await cli(['db', 'info', 'pg'])).stdout,
    /^Last backup +20261201T030000Z-abcd at .*\n(.*\n)*Stale +yes/m,
  )

  const listing = JSON.parse((await cli(['db', 'list', '--json'])).stdout) as DatabaseListing
  assert.deepEqual(
    listing.databases.map((d) => [d.name, d.engine, d.state, d.server]),
    [
      ['cache', 'redis', 'running', 'edge'],
      ['maria', 'mariadb', 'running', 'edge'],
      ['pg', 'postgres', 'running', 'edge'],
    ],
  )
  assert.deepEqual(listing.unreachable, [])

  // A name an app has on that server is refused: an app this computer knows, and one only the server knows.
  const folder = await mkdtemp(join(tmpdir(), 'helvetia-cli-db-'))
  t.after(() => rm(folder, { recursive: true, force: true }))
  await writeFiles(folder, busyboxApp(server.images.busybox, 'x\n'))
  await cli(['app', 'create', 'shop', '--server', 'edge', '--path', folder])
  const clash = await cli(['db', 'create', 'shop', '--server', 'edge', '--engine', 'redis'], false)
  assert.notEqual(clash.code, 0)
  assert.match(clash.stderr, /An app named "shop" runs on edge/)
  await onServer(sh`mkdir -p "$HOME"/${`.${prefix}/apps/other`}`)
  const serverClash = await cli(
    ['db', 'create', 'other', '--server', 'edge', '--engine', 'redis', '--image', names.cache],
    false,
  )
  assert.match(serverClash.stderr, /An app named other runs on this server/)
  assert.equal(
    await vault.get(databaseAccount(serverId, 'other')),
    null,
    'a refused create keeps no credential',
  )

  // Remove: not without confirmation; with --keep-volume the data stays for a later create.
  const unconfirmed = await cli(['db', 'remove', 'cache'], false)
  assert.match(unconfirmed.stderr, /Pass --yes/)
  await cli(['db', 'remove', 'cache', '--keep-volume', '--yes'])
  assert.equal((await onServer(sh`docker ps -aq --filter name=${`^${prefix}-db-cache$`}`)).trim(), '')
  await cli(['db', 'create', 'cache', '--server', 'edge', '--engine', 'redis', '--image', names.cache])
  assert.equal((await redis(rc.password, 'GET', 'kept')).trim(), 'yes', 'the kept volume keeps its data')
  await cli(['db', 'remove', 'cache', '--yes'])
  await cli(['db', 'remove', 'pg', '--yes'])
  await cli(['db', 'remove', 'maria', '--yes'])
  const left = await onServer(
    sh`docker ps -aq --filter label=dev.helvetia.prefix=${prefix}; docker volume ls -q --filter label=dev.helvetia.prefix=${prefix}; find "$HOME"/${`.${prefix}/databases`} -mindepth 1 -type d`,
  )
  assert.equal(left.trim(), '', 'containers, volumes and folders are gone')
  for (const name of Object.keys(names)) assert.equal(await vault.get(databaseAccount(serverId, name)), null)
  assert.deepEqual(
    (JSON.parse((await cli(['db', 'list', '--json'])).stdout) as DatabaseListing).databases,
    [],
  )

  for (const { stdout, stderr } of outputs) {
    for (const secret of secrets)
      assert.ok(!stdout.includes(secret) && !stderr.includes(secret), 'no credential in the output')
  }
})

test('bad engine, version, image, memory and CPUs are refused with their field', async (t) => {
  const { core } = prefixedCore(t, 'helvetia-test-dbinput')
  const { client, close } = connectInProcess(core.api)
  t.after(close)
  const refused = async (input: Record<string, unknown>) => {
    const subscription = client.subscribe(
      'databases:create',
      { name: 'db', server: 'nowhere', engine: 'postgres', ...input } as never,
      () => {},
    )
    const error = await subscription.done.then(
      () => assert.fail('accepted'),
      (e: { code: string; field?: string; message: string }) => e,
    )
    return [error.code, error.field]
  }
  assert.deepEqual(await refused({ engine: 'oracle' }), ['INVALID_OPTION', 'engine'])
  assert.deepEqual(await refused({ version: '16; rm -rf /' }), ['INVALID_OPTION', 'version'])
  assert.deepEqual(await refused({ image: 'Bad Image' }), ['INVALID_OPTION', 'image'])
  assert.deepEqual(await refused({ image: 'pg:15', version: '16' }), ['INVALID_OPTION', 'version'])
  assert.deepEqual(await refused({ memory: 'lots' }), ['INVALID_OPTION', 'memory'])
  assert.deepEqual(await refused({ cpus: -1 }), ['INVALID_OPTION', 'cpus'])
  assert.deepEqual(await refused({ name: 'Bad_Name' }), ['INVALID_OPTION', 'name'])
  assert.deepEqual(await refused({}), ['SERVER_NOT_FOUND', 'server'])
})

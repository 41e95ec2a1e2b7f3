/**
 * The engine table is defined once (src-main/core/databases/engines.ts); the server's scripts get it
 * from a generated file. These tests fail when the committed file is stale (run `npm run generate`),
 * and read the generated shell functions beside the table for every engine.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { DATABASE_ENGINES } from '../../src-main/api/databases'
import { credentialLines, generateCredentials } from '../../src-main/core/databases/credentials'
import { CREDENTIAL_VARIABLES, DB_ENGINES_SH, dbEnginesSh } from '../../src-main/core/databases/engines-sh'
import { connectionUrl, CREDENTIAL_PATTERN, ENGINES } from '../../src-main/core/databases/engines'
import { whole } from '../../src-main/core/rules/patterns'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const SH = join(ROOT, DB_ENGINES_SH)

/** Runs `script` in sh with lib/db-engines.sh sourced and `env` set. */
const sh = (script: string, env: Record<string, string> = {}) =>
  execFileSync('sh', ['-c', `. "$0"; ${script}`, SH], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
  })

test('the committed db-engines.sh is what the table generates (else: npm run generate)', () => {
  assert.equal(readFileSync(SH, 'utf8'), dbEnginesSh(), `${DB_ENGINES_SH} is stale: run npm run generate`)
})

test('the server reads each engine as the table defines it', () => {
  assert.equal(sh('echo "$DB_ENGINES"').trim(), DATABASE_ENGINES.join(' '))
  const fields = [
    'image',
    'version',
    'port',
    'data_dir',
    'args',
    'root',
    'password_file',
    'password_directive',
    'client',
    'ready',
    'ready_answer',
  ]
  for (const engine of DATABASE_ENGINES) {
    const e = ENGINES[engine]
    const out = sh(
      `db_engine ${engine}; for f in ${fields.join(' ')}; do eval "printf '%s\\n' \\"\\$engine_$f\\""; done`,
    )
    assert.deepEqual(out.split('\n').slice(0, -1), [
      e.image,
      e.version,
      String(e.port),
      e.dataDir,
      e.args.join(' '),
      e.root ? '1' : '0',
      e.passwordFile?.path ?? '',
      e.passwordFile?.directive ?? '',
      e.client,
      e.ready,
      e.readyAnswer,
    ])
  }
  assert.throws(() => sh('db_engine oracle'), 'an unknown engine is refused')
})

test("the server gives each image its environment from the credentials, as the table's contract says", () => {
  for (const engine of DATABASE_ENGINES) {
    const credentials = generateCredentials(engine, 'shop-db')
    const env = Object.fromEntries(
      Object.entries(CREDENTIAL_VARIABLES).map(([field, name]) => [
        name,
        credentials[field as keyof typeof credentials] ?? '',
      ]),
    )
    const expected = Object.entries(ENGINES[engine].env).map(
      ([name, field]) => `${name}=${credentials[field]}`,
    )
    assert.deepEqual(sh(`db_engine_env ${engine}`, env).split('\n').slice(0, -1), expected, engine)
    // What db-create.sh accepts on standard input: every value within the credential pattern.
    for (const line of credentialLines(credentials).trim().split('\n')) {
      assert.match(line.slice(line.indexOf('=') + 1), whole(CREDENTIAL_PATTERN), line)
    }
    assert.equal(Boolean(credentials.rootPassword), ENGINES[engine].root, `${engine}'s root password`)
  }
})

test('connection URLs name the container on the network, with the password or masked', () => {
  const credentials = { user: 'helvetia', database: 'shop_db', password: 'p4ss' }
  assert.equal(
    connectionUrl('postgres', 'h-db-shop', credentials),
    'postgres://helvetia:p4ss@h-db-shop:5432/shop_db',
  )
  assert.equal(
    connectionUrl('mariadb', 'h-db-shop', { ...credentials, password: null }),
    'mysql://helvetia:••••••@h-db-shop:3306/shop_db',
  )
  assert.equal(
    connectionUrl('redis', 'h-db-c', { user: 'default', database: '0', password: 'p' }),
    'redis://:p@h-db-c:6379/0',
  )
  assert.equal(
    connectionUrl('mongodb', 'h-db-m', credentials),
    'mongodb://helvetia:p4ss@h-db-m:27017/shop_db?authSource=admin',
  )
})

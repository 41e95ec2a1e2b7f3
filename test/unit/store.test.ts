import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import { openDatabase } from '../../src-main/core/store/database'
import { migrations } from '../../src-main/core/store/migrations'
import { tempHome } from '../support/temp-home'

test('opening a new data folder creates the database in WAL mode at the latest schema', (t) => {
  const home = tempHome(t)
  const db = openDatabase(home)
  t.after(() => db.close())
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal')
  assert.equal(db.pragma('user_version', { simple: true }), migrations.length)
})

test('pending migrations run once, in order, and only forward', (t) => {
  const home = tempHome(t)
  openDatabase(home, migrations.slice(0, 1)).close()
  const steps = [...migrations, 'CREATE TABLE later_feature (id INTEGER PRIMARY KEY)']
  const db = openDatabase(home, steps)
  assert.equal(db.pragma('user_version', { simple: true }), steps.length)
  assert.ok(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'later_feature'").get())
  db.close()
  // Opening again applies nothing: the CREATE TABLE would fail if it ran twice.
  openDatabase(home, steps).close()
})

test('a failing migration leaves the database at the last good version', (t) => {
  const home = tempHome(t)
  assert.throws(() => openDatabase(home, [...migrations, 'CREATE TABLE broken (']))
  const db = openDatabase(home)
  assert.equal(db.pragma('user_version', { simple: true }), migrations.length)
  db.close()
})

test('a database written by a newer Helvetia is refused with a clear error and left untouched', (t) => {
  const home = tempHome(t)
  const path = join(home, 'helvetia.db')
  const newer = new Database(path)
  newer.pragma(`user_version = ${migrations.length + 3}`)
  newer.exec('CREATE TABLE from_the_future (x)')
  newer.close()
  const before = createHash('sha256').update(readFileSync(path)).digest('hex')

  assert.throws(
    () => openDatabase(home),
    (error: Error & { code?: string; hint?: string }) => {
      assert.equal(error.code, 'DATABASE_TOO_NEW')
      assert.match(error.message, /newer Helvetia/)
      assert.match(error.hint ?? '', /Update Helvetia/)
      return true
    },
  )
  assert.equal(createHash('sha256').update(readFileSync(path)).digest('hex'), before)
  const check = new Database(path, { readonly: true })
  assert.equal(check.pragma('journal_mode', { simple: true }), 'delete')
  check.close()
})

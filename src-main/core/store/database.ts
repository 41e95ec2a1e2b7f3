import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { UserError } from '../errors'
import { migrations } from './migrations'

export type Db = Database.Database

/**
 * Opens `<home>/helvetia.db`, refusing (and leaving untouched) a database written by a newer
 * Helvetia, then applies pending migrations, each in its own transaction.
 */
export function openDatabase(home: string, steps: readonly string[] = migrations): Db {
  mkdirSync(home, { recursive: true, mode: 0o700 })
  const path = join(home, 'helvetia.db')
  const db = new Database(path)
  try {
    // Read the version before anything writes: switching to WAL would already change the file.
    const version = db.pragma('user_version', { simple: true }) as number
    if (version > steps.length) {
      throw new UserError(
        'DATABASE_TOO_NEW',
        `${path} was written by a newer Helvetia (schema ${version}; this version knows up to ${steps.length}).`,
        'Update Helvetia, or set HELVETIA_HOME to another folder. The database was left untouched.',
      )
    }
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    for (let v = version; v < steps.length; v++) {
      db.transaction(() => {
        db.exec(steps[v] as string)
        db.pragma(`user_version = ${v + 1}`)
      })()
    }
    return db
  } catch (error) {
    db.close()
    throw error
  }
}

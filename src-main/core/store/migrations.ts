/**
 * Forward-only schema migrations: entry N brings the database from version N to N+1. Never edit a
 * released entry; append a new one. Nothing secret is ever stored: secrets live in the vault.
 */
export const migrations: readonly string[] = [
  `CREATE TABLE servers (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL UNIQUE,
     host TEXT NOT NULL,
     port INTEGER NOT NULL,
     user TEXT NOT NULL,
     auth TEXT NOT NULL CHECK (auth IN ('agent', 'key-file', 'generated-key', 'local')),
     key_path TEXT,
     host_key_fingerprint TEXT,
     created_at TEXT NOT NULL
   )`,
]

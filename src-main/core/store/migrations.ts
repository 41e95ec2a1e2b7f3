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
  `CREATE TABLE apps (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL UNIQUE,
     server_id TEXT NOT NULL,
     spec_json TEXT NOT NULL,
     source_json TEXT NOT NULL,
     env_pending INTEGER NOT NULL DEFAULT 0,
     created_at TEXT NOT NULL
   );
   CREATE TABLE app_env (
     app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
     key TEXT NOT NULL,
     value TEXT,
     secret INTEGER NOT NULL CHECK (secret IN (0, 1)),
     PRIMARY KEY (app_id, key),
     CHECK ((secret = 1) = (value IS NULL))
   )`,
]

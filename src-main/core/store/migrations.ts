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
  // Push to deploy: the relay an app's webhook goes through (its secret is in the vault).
  `CREATE TABLE app_webhooks (
     app_id TEXT PRIMARY KEY REFERENCES apps(id) ON DELETE CASCADE,
     relay_url TEXT NOT NULL,
     hook_id TEXT NOT NULL,
     branch TEXT NOT NULL,
     created_at TEXT NOT NULL,
     UNIQUE (relay_url, hook_id)
   )`,
  // Metrics: a server's (app NULL) and its apps' samples, `step_s` seconds each (10 raw, 60 rolled up
  // after an hour), pruned after 24 hours (core/metrics/metrics-store.ts). No foreign key: a removed
  // server's rows are pruned with the rest, and never block the removal.
  `CREATE TABLE metric_samples (
     server_id TEXT NOT NULL,
     app TEXT,
     ts INTEGER NOT NULL,
     step_s INTEGER NOT NULL,
     cpu REAL,
     mem_used REAL,
     mem_total REAL,
     net_rx REAL,
     net_tx REAL,
     disk_used REAL,
     disk_total REAL
   );
   CREATE INDEX metric_samples_by_series ON metric_samples (server_id, app, ts)`,
  // Relays Helvetia installed on a server (`helvetia relay install`): reached through that server's
  // SSH connection. Their tokens are in the vault.
  `CREATE TABLE relay_hosts (
     relay_url TEXT PRIMARY KEY,
     server_id TEXT NOT NULL,
     created_at TEXT NOT NULL
   )`,
  // Settings changed after creation (`apps:update`), pending like env until the next deploy.
  `ALTER TABLE apps ADD COLUMN settings_pending INTEGER NOT NULL DEFAULT 0`,
  // The server's reverse proxy as last read from it (a ServerProxy; NULL: none runs there).
  `ALTER TABLE servers ADD COLUMN proxy_json TEXT`,
  // Which server each database is on, cached from the servers' own records (core/databases). No
  // credential: those are in the vault.
  `CREATE TABLE databases (
     name TEXT PRIMARY KEY,
     server_id TEXT NOT NULL,
     engine TEXT NOT NULL,
     created_at TEXT NOT NULL
   )`,
  // Backup targets (core/backups): S3-compatible buckets; the secret key is in the vault. The servers
  // that hold a target's settings file (installed on first use there).
  `CREATE TABLE backup_targets (
     name TEXT PRIMARY KEY,
     endpoint TEXT NOT NULL,
     bucket TEXT NOT NULL,
     region TEXT,
     prefix TEXT,
     access_key_id TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE TABLE backup_target_servers (
     target TEXT NOT NULL REFERENCES backup_targets(name) ON DELETE CASCADE,
     server_id TEXT NOT NULL,
     PRIMARY KEY (target, server_id)
   )`,
  // Registries this computer holds a login for (core/images): the password is in the vault.
  `CREATE TABLE registries (
     host TEXT PRIMARY KEY,
     username TEXT NOT NULL,
     added_at TEXT NOT NULL
   )`,
]

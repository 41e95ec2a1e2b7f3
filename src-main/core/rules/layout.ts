/**
 * The server's folder layout: everything Helvetia keeps on a server lives under `~/.PREFIX`. Paths here
 * are relative to the user's home folder on the server. remote-scripts/lib/rules.sh gets the same
 * layout as shell functions (`server_paths`, `app_paths`), generated from these tables.
 */

/** Under `~/.PREFIX`. The key is also the shell variable `server_paths` sets. */
export const SERVER_LAYOUT = {
  apps_dir: 'apps',
  /** Helvetia's scripts, installed by the runner (core/remote/script-runner.ts), and their protocol. */
  scripts_dir: 'scripts',
  relay_dir: 'relay',
  /** Pushes of server-side apps the relay leaves for the push agent (relay/spool.js). */
  spool_dir: 'relay/spool',
  proxy_root: 'proxy',
  /** One folder per database (DATABASE_LAYOUT). */
  databases_dir: 'databases',
  /** One 0600 file per backup target used on this server: its S3 settings and secret key. */
  backup_targets_dir: 'backup-targets',
  /** Overrides of the disk clean-up's thresholds (lib/deploy-cleanup.sh). */
  disk_cleanup_conf: 'disk-cleanup.conf',
  /** The job agent's pid file, log and wake FIFO (remote-scripts/job-agent.sh). */
  jobs_agent_dir: 'jobs-agent',
} as const

/** Under `~/.PREFIX/apps/APP`. The key is also the shell variable `app_paths` sets. */
export const APP_LAYOUT = {
  /** The uploaded source of a folder app (deploy-upload.sh), its manifest and the lock over both. */
  source_dir: 'source',
  source_manifest: 'source.manifest',
  source_lock: 'source.lock',
  /** A git app's bare repository (git-fetch.sh) and its deploy key, when it has one. */
  git_dir: 'git',
  deploy_key: 'deploy-key',
  /** The app's env file (0600): the only place its secret values are, beside kept deployments'. */
  app_env: 'env',
  app_record: 'app.json',
  /** A catalogue app's template id, version and every variable's value, secrets included (0600). */
  catalog_record: 'catalog.json',
  /** The id of the live deployment. */
  current_file: 'current',
  lock_dir: 'lock',
  deployments_dir: 'deployments',
  /** Scheduled jobs: `NAME.json` (the job), `NAME/` (its cron, command and runs; remote-scripts/job-*.sh). */
  jobs_dir: 'jobs',
} as const

/** Under `~/.PREFIX/databases/NAME`. The key is also the shell variable `database_paths` sets. */
export const DATABASE_LAYOUT = {
  /** What the database is (engine, version, image, limits, creation time): the server's record. */
  db_record: 'database.json',
  /** 0600, `KEY='value'` lines: DB_USER, DB_PASSWORD, DB_NAME (and DB_ROOT_PASSWORD where the engine has one). */
  db_credentials: 'credentials',
  /** Apps linked to it: one `APP KEY` line each. */
  db_links: 'links',
  /** One `ID.json` per backup run (its state while it runs and after), newest by name. */
  db_backups_dir: 'backups',
  /** One `ID.json` per restore drill of backup ID. */
  db_drills_dir: 'drills',
  /** The backup schedule (`KEY=value` lines) and when it last ran, for the backup agent. */
  db_schedule: 'schedule',
  db_schedule_state: 'schedule.state',
  /** Held while a backup, restore or removal changes it. */
  db_lock: 'lock',
} as const

/** Under a deployment's folder, `deployments/ID`. */
export const DEPLOYMENT_LAYOUT = {
  /** What deploy-start.sh received (deploy-request.ts's archive). */
  request: 'request',
  /** The template a push fills to deploy another commit (deploy-request.ts, deploy-push.sh). */
  pushTemplate: 'request/push-template',
  log: 'log',
  state: 'state',
  meta: 'meta.json',
} as const

/** `~/.PREFIX`, relative to the home folder. */
export function serverDir(prefix: string): string {
  return `.${prefix}`
}

export function serverPath(prefix: string, place: keyof typeof SERVER_LAYOUT): string {
  return `${serverDir(prefix)}/${SERVER_LAYOUT[place]}`
}

export function appDir(prefix: string, app: string): string {
  return `${serverPath(prefix, 'apps_dir')}/${app}`
}

export function appPath(prefix: string, app: string, place: keyof typeof APP_LAYOUT): string {
  return `${appDir(prefix, app)}/${APP_LAYOUT[place]}`
}

export function databaseDir(prefix: string, database: string): string {
  return `${serverPath(prefix, 'databases_dir')}/${database}`
}

export function databasePath(prefix: string, database: string, place: keyof typeof DATABASE_LAYOUT): string {
  return `${databaseDir(prefix, database)}/${DATABASE_LAYOUT[place]}`
}

export function deploymentPath(
  prefix: string,
  app: string,
  id: string,
  place?: keyof typeof DEPLOYMENT_LAYOUT,
): string {
  const dir = `${appPath(prefix, app, 'deployments_dir')}/${id}`
  return place ? `${dir}/${DEPLOYMENT_LAYOUT[place]}` : dir
}

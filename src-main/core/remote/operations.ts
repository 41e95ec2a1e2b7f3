/**
 * Every operation Helvetia performs on a server, by name: the script of remote-scripts/ that
 * implements it, its typed input (each field becomes the script's `--kebab-name value` option, in
 * this order; an undefined field is left out) and how its standard output is read. Nothing else runs
 * on a server, so a server-side gate can name and authorise each operation.
 *
 * Output: `progress` (facts, `changed` and events from the progress lines), `lines` (also every
 * other standard output line, collected), `bytes` (standard output as it is, collected), `stream`
 * (standard output as it comes, to the caller's `onStdout`).
 */

type Output = 'progress' | 'lines' | 'bytes' | 'stream'

/** The inputs of each operation. Values are validated by the caller and checked again by the script. */
export interface OperationInputs {
  /** Proves a login works and runs the scripts. */
  'server.ping': Record<string, never>
  'server.facts': { prefix: string }
  /** The proxy's configuration on standard input. */
  'server.provision': {
    proxy: string
    image: string
    httpPort: number
    httpsPort: number
    bind: string
    prefix: string
  }
  'proxy.endpoint': { prefix: string }
  /** The authorized_keys line on standard input. */
  'ssh.authorize-key': { blob: string }
  /** The change set (a tar archive) on standard input. */
  'source.upload': { prefix: string; app: string; bytes: number; sourceId: string }
  /** `hash`: of the manifest the caller holds (`-`: none). */
  'source.manifest': { prefix: string; app: string; hash: string }
  /** The deploy key (or nothing) on standard input. */
  'git.fetch': { prefix: string; app: string; url: string; branch?: string; commit?: string }
  /** The deploy request (a tar archive) on standard input. */
  'deploy.start': { prefix: string; app: string; id: string }
  'deploy.follow': { prefix: string; app: string; id: string; offset: number }
  'deploy.record': { prefix: string; app: string; id: string }
  'deploy.history': { prefix: string; app: string }
  /** `service`: a process type (checked by the script; default web). */
  'deploy.logs': { prefix: string; app: string; tail: number; follow: 0 | 1; service?: string }
  'deploy.remove': { prefix: string; app: string }
  /** The private key on standard input (for `keep`). */
  'deploy-key.keep': { prefix: string; app: string; action: 'keep' | 'remove' }
  /** A catalogue app's record (its template, version and values) on standard input (`write`) or output. */
  'catalog.record': { prefix: string; app: string; action: 'write' | 'read' }
  /** The relay's files (a tar archive) on standard input. */
  'relay.install': { prefix: string; verifyHost?: string }
  'relay.address': { prefix: string }
  'metrics.stream': { prefix: string; interval: number }
  'container.check': { prefix: string; app: string; container: string }
  /** The credentials (`DB_USER=…` lines, core/databases/credentials.ts) on standard input. */
  'db.create': {
    prefix: string
    database: string
    engine: string
    version: string
    image: string
    memory?: string
    cpus?: number
  }
  'db.list': { prefix: string }
  'db.info': { prefix: string; database: string }
  'db.remove': { prefix: string; database: string; keepVolume: 0 | 1 }
  // Backups (core/backups): `target` names a file in backup_targets_dir that backup-target.install wrote.
  /** The target's settings (RCLONE_CONFIG_T_* and HELVETIA_* lines) on standard input (for `install`). */
  'backup-target.install': { prefix: string; target: string; action: 'install' | 'remove' }
  'db.backup': { prefix: string; database: string; target: string }
  /** Manifests in the bucket and the server's run records, one JSON a line. */
  'db.backups': { prefix: string; database: string; target: string }
  'db.verify': { prefix: string; database: string; target: string; backup: string }
  'db.retention': {
    prefix: string
    database: string
    target: string
    keepDaily: number
    keepWeekly: number
    keepMonthly: number
  }
  /** Which verified backup an id or `latest` names (fact `id`). */
  'db.backup-resolve': { prefix: string; database: string; backup: string }
  /** Restore drill of a backup (an id or `latest`) into a scratch container; prints the drill's record. */
  'db.drill': { prefix: string; database: string; backup: string }
  /** Restores a backup of `source` into `database`; `inPlace` 1 replaces data it holds. Prints the counts. */
  'db.restore': { prefix: string; database: string; source: string; backup: string; inPlace: 0 | 1 }
  /** Writes a database's backup schedule and makes sure the backup agent runs (core/databases/backup-schedule.ts). */
  'db.schedule': {
    prefix: string
    database: string
    action: 'set'
    every: string
    at?: string
    target: string
    keepDaily: number
    keepWeekly: number
    keepMonthly: number
    drillEvery: string
    webhook?: string
  }
  'db.unschedule': { prefix: string; database: string }
  /** Databases reached from this computer and linked to apps (core/databases: links, tunnel, shell). */
  'db.link': {
    prefix: string
    database: string
    app: string
    action: 'add' | 'remove' | 'show'
    key?: string
  }
  'db.address': { prefix: string; database: string }
  /** Process types and scheduled jobs (core/processes). */
  'processes.list': { prefix: string; app: string }
  /** The job's command on standard input. */
  'jobs.add': { prefix: string; app: string; job: string; cron: string }
  'jobs.remove': { prefix: string; app: string; job: string }
  'jobs.list': { prefix: string; app: string }
  'jobs.runs': { prefix: string; app: string; job: string }
  'jobs.log': { prefix: string; app: string; job: string; run: string }
  'jobs.run': { prefix: string; app: string; job: string }
  // Compose stacks (core/stacks).
  /** A git app's compose file at a fetched commit, as it is. */
  'stack.file': { prefix: string; app: string; commit: string; file: string }
  /** The live services of a compose app: one JSON object a line (core/stacks/stack-services.ts). */
  'stack.services': { prefix: string; app: string }
}

export type OperationName = keyof OperationInputs

interface Operation {
  script: string
  output: Output
  /** Fixed options the operation adds after the input's. */
  fixed?: readonly string[]
}

export const OPERATIONS = {
  'server.ping': { script: 'ping.sh', output: 'progress' },
  'server.facts': { script: 'facts.sh', output: 'progress' },
  'server.provision': { script: 'provision.sh', output: 'progress' },
  'proxy.endpoint': { script: 'proxy-endpoint.sh', output: 'progress' },
  'ssh.authorize-key': { script: 'authorize-key.sh', output: 'progress' },
  'source.upload': { script: 'deploy-upload.sh', output: 'progress' },
  'source.manifest': { script: 'source-manifest.sh', output: 'bytes' },
  'git.fetch': { script: 'git-fetch.sh', output: 'progress' },
  'deploy.start': { script: 'deploy-start.sh', output: 'progress' },
  'deploy.follow': { script: 'deploy-follow.sh', output: 'stream' },
  'deploy.record': { script: 'deploy-record.sh', output: 'bytes' },
  'deploy.history': { script: 'deploy-history.sh', output: 'lines' },
  'deploy.logs': { script: 'deploy-logs.sh', output: 'progress' },
  'deploy.remove': { script: 'deploy-remove.sh', output: 'progress' },
  'processes.list': { script: 'processes-list.sh', output: 'lines' },
  'jobs.add': { script: 'job-add.sh', output: 'progress' },
  'jobs.remove': { script: 'job-remove.sh', output: 'progress' },
  'jobs.list': { script: 'job-list.sh', output: 'lines' },
  'jobs.runs': { script: 'job-runs.sh', output: 'lines' },
  'jobs.log': { script: 'job-log.sh', output: 'bytes' },
  'jobs.run': { script: 'job-run.sh', output: 'progress' },
  'deploy-key.keep': { script: 'deploy-key.sh', output: 'progress' },
  'catalog.record': { script: 'catalog-record.sh', output: 'bytes' },
  'relay.install': { script: 'relay-install.sh', output: 'progress' },
  'relay.address': { script: 'relay-address.sh', output: 'progress' },
  'metrics.stream': { script: 'metrics-stream.sh', output: 'progress' },
  'container.check': { script: 'container-shell.sh', output: 'progress', fixed: ['--mode', 'check'] },
  'db.create': { script: 'db-create.sh', output: 'progress' },
  'db.list': { script: 'db-list.sh', output: 'lines' },
  'db.info': { script: 'db-info.sh', output: 'lines' },
  'db.remove': { script: 'db-remove.sh', output: 'progress' },
  'backup-target.install': { script: 'backup-target.sh', output: 'progress' },
  'db.backup': { script: 'db-backup.sh', output: 'progress' },
  'db.backups': { script: 'db-backups.sh', output: 'lines' },
  'db.verify': { script: 'db-verify.sh', output: 'progress' },
  'db.retention': { script: 'db-retention.sh', output: 'progress' },
  'db.backup-resolve': { script: 'db-backup-resolve.sh', output: 'progress' },
  'db.drill': { script: 'db-drill.sh', output: 'lines' },
  'db.restore': { script: 'db-restore.sh', output: 'lines' },
  'db.schedule': { script: 'db-schedule.sh', output: 'progress' },
  'db.unschedule': { script: 'db-schedule.sh', output: 'progress', fixed: ['--action', 'remove'] },
  'db.link': { script: 'db-link.sh', output: 'progress' },
  'db.address': { script: 'db-address.sh', output: 'progress' },
  'stack.file': { script: 'stack-file.sh', output: 'bytes' },
  'stack.services': { script: 'stack-services.sh', output: 'lines' },
} as const satisfies Record<OperationName, Operation>

/** Operations that run in a terminal (a pty) on a server: a login shell, or a script's. */
export const TERMINAL_OPERATIONS = {
  'server.shell': null,
  'container.shell': { script: 'container-shell.sh', fixed: ['--mode', 'open'] },
  'database.shell': { script: 'db-shell.sh', fixed: [] },
} as const

export interface TerminalInputs {
  'server.shell': Record<string, never>
  'container.shell': OperationInputs['container.check']
  'database.shell': { prefix: string; database: string; engine: string }
}

/** The script's options for `input`: `{ httpPort: 80 }` → `--http-port 80`. */
export function scriptArgs(input: object, fixed: readonly string[] = []): string[] {
  const args: string[] = []
  for (const [key, value] of Object.entries(input) as [string, string | number | undefined][]) {
    if (value === undefined) continue
    args.push(`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, String(value))
  }
  return [...args, ...fixed]
}

export type OutputOf<N extends OperationName> = (typeof OPERATIONS)[N]['output']

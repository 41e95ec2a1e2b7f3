import { InvalidArgumentError, Option, type Command } from 'commander'
import { readFile } from 'node:fs/promises'
import type { AppChanges } from '../../core/apps/app-changes'
import type { CertificateStatus, DeployKeyInfo } from '../../api/contract'
import type { AppSummary } from '../../core/apps/apps'
import { parseDomain, type RestartPolicy } from '../../core/deploy/app-spec'
import type { DeployEvent } from '../../core/deploy/deployer'
import type { Deployment } from '../../core/deploy/deployment-record'
import { UserError } from '../../core/errors'
import { output, table, withCore, type OutputOptions } from '../context'
import { parsePort } from '../parse'
import { ask, interactive, readSecret, readStdin } from '../prompt'
import { describeChanges } from '../settings-changes'

interface CreateOptions extends OutputOptions {
  server: string
  path?: string
  git?: string
  branch?: string
  deployKey?: string
  generateDeployKey?: boolean
  port?: number
  domain: string[]
  healthPath?: string
  memory?: string
  cpus?: number
}

interface UpdateOptions extends OutputOptions {
  port?: number
  domain?: string[]
  addDomain: string[]
  removeDomain: string[]
  healthPath?: string
  imageHealth?: boolean
  healthInterval?: number
  healthTimeout?: number
  healthRetries?: number
  healthStartPeriod?: number
  memory?: string
  cpus?: number | 'none'
  pids?: number | 'none'
  restart?: string
  keepImages?: number
  drain?: number
  branch?: string
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value]

/** `none` clears a limit (as null in the API: commander turns a parsed null into ''). */
const orNone =
  <T>(parse: (value: string) => T) =>
  (value: string): T | 'none' =>
    value === 'none' ? value : parse(value)
const noneAsNull = <T>(value: T | 'none'): T | null => (value === 'none' ? null : value)

function parseCount(value: string): number {
  if (!/^\d{1,9}$/.test(value)) throw new InvalidArgumentError('expected a whole number')
  return Number(value)
}

function parseCpus(value: string): number {
  const cpus = Number(value)
  if (!/^\d+(\.\d+)?$/.test(value) || !(cpus > 0))
    throw new InvalidArgumentError('expected a number such as 0.5 or 2')
  return cpus
}

/** `KEY=VALUE`, split at the first `=`. */
function parseAssignment(text: string): { key: string; value: string } {
  const at = text.indexOf('=')
  if (at < 1) {
    throw new UserError(
      'INVALID_OPTION',
      `Expected KEY=VALUE, got ${JSON.stringify(text.split('=')[0])}.`,
      'Write each variable as KEY=VALUE.',
    )
  }
  return { key: text.slice(0, at), value: text.slice(at + 1) }
}

/**
 * The variables `env set` was given: KEY=VALUE arguments, KEY alone asked for on the terminal (a
 * secret without echo), and with --stdin one KEY=VALUE a line of standard input (empty lines skipped).
 */
async function envAssignments(
  args: string[],
  options: { secret: boolean; stdin: boolean },
): Promise<{ key: string; value: string }[]> {
  const given = [...args]
  if (options.stdin) given.push(...(await readStdin()).split(/\r?\n/).filter((line) => line !== ''))
  if (given.length === 0) {
    throw new UserError(
      'INVALID_OPTION',
      'No variables given.',
      'Write KEY=VALUE, KEY alone to be asked for its value, or pass them with --stdin, one KEY=VALUE a line.',
    )
  }
  const vars: { key: string; value: string }[] = []
  for (const text of given) {
    if (text.includes('=') || options.stdin) {
      vars.push(parseAssignment(text))
      continue
    }
    if (!interactive()) {
      throw new UserError(
        'VALUE_NEEDED',
        `No value for ${text}, and no terminal to ask for it on.`,
        `Pass the values on standard input with --stdin, one KEY=VALUE a line (e.g. \`printf '${text}=%s\\n' "$VALUE" | helvetia env set APP --stdin${options.secret ? ' --secret' : ''}\`).`,
      )
    }
    const value = options.secret
      ? await readSecret(`Value of ${text} (not shown): `)
      : await ask(`Value of ${text}: `)
    vars.push({ key: text, value })
  }
  return vars
}

async function readKeyFile(path: string): Promise<string> {
  return readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UserError(
      'KEY_UNREADABLE',
      `Cannot read ${path}: ${error.code ?? error.message}.`,
      'Give the path of the private key file.',
    )
  })
}

/** The deploy's steps and log lines go to stderr, so stdout stays clean for --json. */
function printDeployEvent(event: DeployEvent | { type: 'uploaded' }): void {
  if (event.type === 'step' && event.status !== 'running') {
    process.stderr.write(`${MARK[event.status] ?? ' '} ${event.message || event.step}\n`)
  } else if (event.type === 'log') process.stderr.write(`  ${event.line}\n`)
  else if (event.type === 'started') process.stderr.write(`Deployment ${event.id} started.\n`)
}

const MARK: Record<string, string> = { done: '✓', skipped: '–', failed: '✗' }

/** Prints the outcome; a failed deployment exits non-zero with its reason. */
function reportDeployment(options: OutputOptions, deployment: Deployment): void {
  if (deployment.status === 'succeeded') {
    output(options, deployment, (d) => `${d.app} is live: deployment ${d.id}.`)
    return
  }
  if (options.json) output(options, deployment, () => '')
  else if (deployment.error?.lastLines) process.stderr.write(`${deployment.error.lastLines}\n`)
  throw new UserError(
    deployment.error?.code ?? 'DEPLOY_FAILED',
    `Deployment ${deployment.id} of ${deployment.app} ${deployment.status}: ${deployment.error?.message ?? 'no reason given'}`,
    [deployment.error?.hint, 'The previous version is still live.'].filter(Boolean).join(' '),
  )
}

/** Aborts on Ctrl-C, so a followed stream ends cleanly (a deploy carries on on the server). */
function interruptSignal(): AbortSignal {
  const controller = new AbortController()
  process.once('SIGINT', () => controller.abort())
  return controller.signal
}

function formatDeployments(deployments: Deployment[], current: string | null): string {
  if (deployments.length === 0) return 'No deployments yet.'
  return table([
    ['ID', 'STATUS', 'TRIGGER', 'SOURCE', 'CREATED', ''],
    ...deployments.map((d) => [
      d.id,
      d.status,
      d.trigger,
      d.rollbackOf ? `rollback of ${d.rollbackOf}` : `${d.source.kind} ${d.source.id.slice(0, 12)}`,
      d.createdAt,
      d.id === current ? 'live' : '',
    ]),
  ])
}

export function appCommands(program: Command): void {
  const app = program.command('app').description('Apps Helvetia deploys')

  app
    .command('create')
    .argument('<name>', 'the app name, a DNS label like web')
    .description('Add an app: where it runs, where its code is, how it is served')
    .requiredOption('--server <name>', 'the server it runs on')
    .addOption(new Option('--path <dir>', 'a local folder with a Dockerfile').conflicts('git'))
    .option(
      '--git <url>',
      'a git repository the server fetches: https://… (public) or SSH (with a deploy key)',
    )
    .option('--branch <branch>', "the branch of --git to deploy (default: the repository's default branch)")
    .addOption(
      new Option(
        '--deploy-key <file>',
        'a private key (no passphrase) that can read the --git repository',
      ).conflicts('generateDeployKey'),
    )
    .option('--generate-deploy-key', 'make a new ed25519 deploy key and print its public key')
    .option('--port <n>', 'the port the app listens on in its container (default 3000)', parsePort)
    .option('--domain <domain>', 'a domain (repeatable); http://name for plain HTTP', collect, [])
    .option('--health-path <path>', 'the HTTP path of the health check (default /)')
    .option('--memory <size>', 'memory limit, like 512m')
    .option('--cpus <n>', 'CPU limit, like 1 or 0.5', parseCpus)
    .option('--json', 'print JSON')
    .action((name: string, options: CreateOptions) =>
      withCore(async (core) => {
        if (!options.path && !options.git) {
          throw new UserError('INVALID_OPTION', 'No source given.', 'Add --path DIR (or --git URL).')
        }
        if (!options.git && (options.branch || options.deployKey || options.generateDeployKey)) {
          throw new UserError(
            'INVALID_OPTION',
            '--branch and deploy keys apply to --git only.',
            'Add --git URL, or drop them.',
          )
        }
        const input = {
          name,
          server: options.server,
          source: options.git
            ? { kind: 'git' as const, url: options.git, branch: options.branch }
            : { kind: 'folder' as const, path: options.path as string },
          port: options.port,
          domains: options.domain,
          healthPath: options.healthPath,
          memory: options.memory,
          cpus: options.cpus,
        }
        const key = options.generateDeployKey
          ? ({ generate: true } as const)
          : options.deployKey
            ? { privateKey: await readKeyFile(options.deployKey) }
            : null
        const created = key ? await core.apps.createWithDeployKey(input, key) : core.apps.create(input)
        output(options, created, (a) => {
          const deployKey = a.source.kind === 'git' ? a.source.deployKey : undefined
          return [
            `Created ${a.name} on ${a.server}. Deploy it with \`helvetia deploy ${a.name}\`.`,
            ...(deployKey
              ? [
                  'Add this deploy key to the repository (on GitHub: Settings → Deploy keys, read-only):',
                  deployKey.publicKey,
                ]
              : []),
          ].join('\n')
        })
      }),
    )

  app
    .command('update')
    .argument('<name>', 'app name')
    .description('Change the app’s settings; they take effect with the next deploy')
    .option('--port <n>', 'the port the app listens on in its container', parsePort)
    .addOption(
      new Option(
        '--domain <domain>',
        'the domains, replacing the list (repeatable); http://name for plain HTTP',
      )
        .argParser(collect)
        .conflicts(['addDomain', 'removeDomain']),
    )
    .option('--add-domain <domain>', 'add a domain (repeatable)', collect, [])
    .option('--remove-domain <domain>', 'remove a domain (repeatable)', collect, [])
    .addOption(
      new Option('--health-path <path>', 'check the app over HTTP at this path').conflicts('imageHealth'),
    )
    .option('--image-health', 'use the image’s own HEALTHCHECK instead of an HTTP check')
    .option('--health-interval <s>', 'seconds between health checks', parseCount)
    .option('--health-timeout <s>', 'seconds a health check may take', parseCount)
    .option('--health-retries <n>', 'failed checks before the app counts as unhealthy', parseCount)
    .option('--health-start-period <s>', 'seconds the app may take to start', parseCount)
    .option('--memory <size>', 'memory limit, like 512m, or none')
    .option('--cpus <n>', 'CPU limit, like 1 or 0.5, or none', orNone(parseCpus))
    .option('--pids <n>', 'process limit, or none', orNone(parseCount))
    .option('--restart <policy>', 'no, always, unless-stopped or on-failure[:N]')
    .option('--keep-images <n>', 'successful deployments whose images are kept for rollback', parseCount)
    .option('--drain <s>', 'seconds the old container keeps serving after the switch', parseCount)
    .option('--branch <branch>', 'the branch a --git app deploys')
    .option('--json', 'print JSON')
    .action((name: string, options: UpdateOptions) =>
      withCore(async (core) => {
        const before = core.apps.record(name)
        const changes = settingsChanges(options, before.spec.domains ?? [])
        if (Object.keys(changes).length === 0) {
          throw new UserError(
            'INVALID_OPTION',
            'No setting to change given.',
            'Add the settings to change, like --domain app.example.com; see `helvetia app update --help`.',
          )
        }
        const after = core.apps.update(name, changes)
        output(options, after, (a) => {
          const lines = describeChanges(before, a)
          return lines.length === 0
            ? `Nothing changed: ${a.name} has these settings already.`
            : [`Changed ${a.name}:`, ...lines.map((line) => `  ${line}`)]
                .concat(a.settingsPending ? [`Deploy to apply: helvetia deploy ${a.name}`] : [])
                .join('\n')
        })
      }),
    )

  app
    .command('list')
    .description('List the apps')
    .option('--json', 'print JSON')
    .action((options: OutputOptions) =>
      withCore(async (core) => {
        output(options, core.apps.list(), (apps: AppSummary[]) =>
          apps.length === 0
            ? 'No apps yet. Add one with `helvetia app create NAME --server S --path DIR`.'
            : table([
                ['NAME', 'SERVER', 'SOURCE', 'DOMAINS', 'ENV'],
                ...apps.map((a) => [
                  a.name,
                  a.server,
                  a.source.kind === 'folder' ? a.source.path : a.source.url,
                  (a.spec.domains ?? []).join(' ') || '(default)',
                  a.envPending ? 'pending' : 'deployed',
                ]),
              ]),
        )
      }),
    )

  app
    .command('deploy-key')
    .argument('<name>', 'app name')
    .description("A git app's deploy key (public half and fingerprint); --rotate replaces it with a new one")
    .option('--rotate', 'replace the key: on GitHub too when Helvetia added it there')
    .option('--json', 'print JSON')
    .action((name: string, options: OutputOptions & { rotate?: boolean }) =>
      withCore(async (core) => {
        const managedBy = (key: DeployKeyInfo) =>
          key.githubKeyId === null ? 'added by hand' : `managed on GitHub, key ${key.githubKeyId}`
        if (!options.rotate) {
          output(options, core.apps.deployKey(name), (key) =>
            [
              `Deploy key of ${name} (${managedBy(key)}):`,
              key.publicKey,
              `Fingerprint: ${key.fingerprint}`,
            ].join('\n'),
          )
          return
        }
        const rotation = await core.githubApps.rotateDeployKey(name)
        for (const warning of rotation.warnings) process.stderr.write(`Warning: ${warning}\n`)
        output(options, rotation, ({ key, previousFingerprint, action, warnings }) =>
          [
            `Replaced the deploy key of ${name} (${previousFingerprint}) with a new one (${managedBy(key)}):`,
            key.publicKey,
            `Fingerprint: ${key.fingerprint}`,
            action ??
              (warnings.length > 0
                ? 'Deploys use the new key.'
                : 'Deploys use the new key; the old one was deleted on GitHub.'),
          ].join('\n'),
        )
      }),
    )

  app
    .command('remove')
    .argument('<name>', 'app name')
    .description('Remove the app from its server (route, containers, images, history) and from Helvetia')
    .action((name: string) =>
      withCore(async (core) => {
        await core.apps.remove(name)
        process.stderr.write(`Removed ${name}.\n`)
      }),
    )

  program
    .command('status')
    .argument('<name>', 'app name')
    .description("The app's live and latest deployment, and its HTTPS domains' certificates")
    .option('--json', 'print JSON')
    .action((name: string, options: OutputOptions) =>
      withCore(async (core) => {
        const [status, certificates] = await Promise.all([
          core.apps.status(name),
          core.certificates.forApp(name),
        ])
        output(options, { ...status, certificates }, (s) =>
          table([
            ['App', s.app.name],
            ['Server', s.app.server],
            [
              'Live',
              s.live ? `${s.live.id} (since ${s.live.finishedAt ?? s.live.createdAt})` : 'not deployed',
            ],
            ['Latest', s.latest ? `${s.latest.id} ${s.latest.status}` : '-'],
            ['Env', s.app.envPending ? 'changed, pending until the next deploy' : 'deployed'],
            ['Settings', s.app.settingsPending ? 'changed, pending until the next deploy' : 'deployed'],
            ...s.certificates.map((c) => ['Certificate', describeCertificate(c)]),
          ]),
        )
      }),
    )

  const env = program.command('env').description("An app's environment variables and secrets")

  env
    .command('set')
    .argument('<name>', 'app name')
    .argument(
      '[assignments...]',
      'KEY=VALUE, or KEY alone to be asked for its value (a secret without echo) on a terminal',
    )
    .description(
      'Set variables (pending until the next deploy); --secret keeps the values in the OS keychain. ' +
        'A secret on the command line shows in `ps` and shell history: use --stdin or let it ask',
    )
    .option('--secret', 'the values are secrets')
    .option('--stdin', 'read the variables from standard input, one KEY=VALUE a line')
    .action((name: string, assignments: string[], options: { secret?: boolean; stdin?: boolean }) =>
      withCore(async (core) => {
        const secret = options.secret ?? false
        const vars = await envAssignments(assignments, { secret, stdin: options.stdin ?? false })
        await core.apps.setEnv(name, vars, secret)
        process.stderr.write(`Set ${vars.length} variable(s) of ${name}; pending until the next deploy.\n`)
      }),
    )

  env
    .command('list')
    .argument('<name>', 'app name')
    .description('List the variables, secrets masked')
    .option('--json', 'print JSON')
    .action((name: string, options: OutputOptions) =>
      withCore(async (core) =>
        output(options, core.apps.listEnv(name), ({ vars, pending }) =>
          [
            vars.length === 0
              ? 'No variables.'
              : table([['KEY', 'VALUE', ''], ...vars.map((v) => [v.key, v.value, v.secret ? 'secret' : ''])]),
            pending ? 'Changed: pending until the next deploy.' : '',
          ]
            .filter(Boolean)
            .join('\n'),
        ),
      ),
    )

  env
    .command('unset')
    .argument('<name>', 'app name')
    .argument('<keys...>', 'variable names')
    .description('Remove variables (pending until the next deploy)')
    .action((name: string, keys: string[]) =>
      withCore(async (core) => {
        await core.apps.unsetEnv(name, keys)
        process.stderr.write(`Unset ${keys.join(', ')} of ${name}; pending until the next deploy.\n`)
      }),
    )

  program
    .command('deploy')
    .argument('<name>', 'app name')
    .description('Build and deploy the app; streams the log, exits 0 once the new version is live')
    .option('--path <dir>', "deploy this folder instead of the app's")
    .option('--commit <sha>', "a git app: deploy this commit (40 hex digits) instead of its branch's head")
    .option('--json', 'print the deployment as JSON (the log still goes to stderr)')
    .action((name: string, options: OutputOptions & { path?: string; commit?: string }) =>
      withCore(async (core) => {
        const deployment = await core.apps.deploy(name, {
          path: options.path,
          commit: options.commit,
          trigger: 'cli',
          onEvent: printDeployEvent,
        })
        reportDeployment(options, deployment)
      }),
    )

  program
    .command('deployments')
    .argument('<name>', 'app name')
    .description("The app's deployment history, oldest first")
    .option('--json', 'print JSON')
    .action((name: string, options: OutputOptions) =>
      withCore(async (core) => {
        const history = await core.apps.deployments(name)
        output(options, history, (h) => formatDeployments(h.deployments, h.current))
      }),
    )

  program
    .command('rollback')
    .argument('<name>', 'app name')
    .description('Run a kept image again, without building (default: the previous successful deployment)')
    .option('--to <id>', 'the deployment to roll back to')
    .option('--json', 'print the deployment as JSON (the log still goes to stderr)')
    .action((name: string, options: OutputOptions & { to?: string }) =>
      withCore(async (core) => {
        const deployment = await core.apps.rollback(name, {
          to: options.to,
          trigger: 'cli',
          onEvent: printDeployEvent,
        })
        reportDeployment(options, deployment)
      }),
    )

  program
    .command('logs')
    .argument('<name>', 'app name')
    .description("The live container's log, secrets masked")
    .option('--tail <n>', 'lines from the end (default 100)', parseCount)
    .option('--follow', 'keep streaming (Ctrl-C stops)')
    .action((name: string, options: { tail?: number; follow?: boolean }) =>
      withCore(async (core) => {
        const signal = interruptSignal()
        await core.apps
          .logs(name, { ...options, onLine: (line) => process.stdout.write(`${line}\n`), signal })
          .catch((error: unknown) => {
            if (!signal.aborted) throw error
          })
      }),
    )
}

/** The API's changes from `app update`'s options; `domains` is the app's list now, for add and remove. */
function settingsChanges(options: UpdateOptions, domains: string[]): AppChanges {
  const hostOf = (domain: string) => parseDomain(domain).host
  let list = options.domain
  if (options.addDomain.length > 0 || options.removeDomain.length > 0) {
    const removed = new Set(options.removeDomain.map(hostOf))
    const missing = [...removed].filter((host) => !domains.some((d) => hostOf(d) === host))
    if (missing.length > 0) {
      throw new UserError(
        'DOMAIN_NOT_FOUND',
        `The app has no domain ${missing.join(', ')}.`,
        'See its domains with `helvetia app list`.',
      )
    }
    list = [...domains.filter((d) => !removed.has(hostOf(d))), ...options.addDomain]
  }
  const health = {
    ...(options.healthPath !== undefined ? { kind: 'http' as const, path: options.healthPath } : {}),
    ...(options.imageHealth ? { kind: 'image' as const } : {}),
    ...(options.healthInterval !== undefined ? { intervalS: options.healthInterval } : {}),
    ...(options.healthTimeout !== undefined ? { timeoutS: options.healthTimeout } : {}),
    ...(options.healthRetries !== undefined ? { retries: options.healthRetries } : {}),
    ...(options.healthStartPeriod !== undefined ? { startPeriodS: options.healthStartPeriod } : {}),
  }
  const resources = {
    ...(options.memory !== undefined ? { memory: noneAsNull(options.memory) } : {}),
    ...(options.cpus !== undefined ? { cpus: noneAsNull(options.cpus) } : {}),
    ...(options.pids !== undefined ? { pids: noneAsNull(options.pids) } : {}),
  }
  return {
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(list !== undefined ? { domains: list } : {}),
    ...(Object.keys(health).length > 0 ? { health } : {}),
    ...(Object.keys(resources).length > 0 ? { resources } : {}),
    ...(options.restart !== undefined ? { restart: options.restart as RestartPolicy } : {}),
    ...(options.keepImages !== undefined ? { keepImages: options.keepImages } : {}),
    ...(options.drain !== undefined ? { drainS: options.drain } : {}),
    ...(options.branch !== undefined ? { branch: options.branch } : {}),
  }
}

/** `DOMAIN STATE until DATE`, and why when it is not valid. */
function describeCertificate(c: CertificateStatus): string {
  const until = c.validTo ? ` until ${c.validTo.slice(0, 10)}` : ''
  return `${c.domain} ${c.state}${until}${c.state === 'valid' ? '' : `: ${c.message}`}`
}

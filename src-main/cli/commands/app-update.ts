import { Option, type Command } from 'commander'
import type { AppChanges, AppVolume, RestartPolicy, StoredSpec } from '../../api/contract'
import { parseDomain } from '../../core/deploy/app-spec'
import { UserError } from '../../core/errors'
import { output, withApi, type OutputOptions } from '../context'
import { collect, parseCount, parseCpus, parsePort } from '../parse'
import { describeChanges } from '../settings-changes'
import { editedProcesses, type ProcessOptions } from './ps'

interface UpdateOptions extends OutputOptions, ProcessOptions {
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
  volume: string[]
  removeVolume: string[]
  releaseCommand?: string
}

/** `none` clears a limit (as null in the API: commander turns a parsed null into ''). */
const orNone =
  <T>(parse: (value: string) => T) =>
  (value: string): T | 'none' =>
    value === 'none' ? value : parse(value)
const noneAsNull = <T>(value: T | 'none'): T | null => (value === 'none' ? null : value)

/** `app update`: settings changed after creation, pending until the next deploy. */
export function updateCommand(app: Command): void {
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
    .option(
      '--volume <name:path>',
      'mount a volume of the app (NAME:/container/path) or a host folder you name (/abs/host/path:/container/path); repeatable',
      collect,
      [],
    )
    .option(
      '--remove-volume <name>',
      'stop mounting a volume (by name or host folder); its data stays until the app is removed with --delete-volumes; repeatable',
      collect,
      [],
    )
    .option(
      '--release-command <command>',
      "run with sh -c in a container of the new image before each deploy's switch, like \"npm run migrate\"; '' clears it",
    )
    .option(
      '--process <name=command>',
      'a process type run from the app’s image: web (routed; bare `web` runs the image’s command) or a worker, like worker="node worker.js"; repeatable',
      collect,
      [],
    )
    .option('--replicas <name=n>', 'how many containers of a worker, like worker=2; repeatable', collect, [])
    .option(
      '--process-memory <name=size>',
      'a process type’s memory limit, like worker=256m; repeatable',
      collect,
      [],
    )
    .option('--process-cpus <name=n>', 'a process type’s CPU limit, like worker=0.5; repeatable', collect, [])
    .option(
      '--remove-process <name>',
      'stop running a process type (web too: an app of workers only); repeatable',
      collect,
      [],
    )
    .option('--json', 'print JSON')
    .action((name: string, options: UpdateOptions) =>
      withApi(async (api) => {
        const before = await api.call('apps:get', { name })
        const changes = settingsChanges(options, before.spec)
        if (Object.keys(changes).length === 0) {
          throw new UserError(
            'INVALID_OPTION',
            'No setting to change given.',
            'Add the settings to change, like --domain app.example.com; see `helvetia app update --help`.',
          )
        }
        const after = await api.call('apps:update', { name, changes })
        output(options, after, (a) => {
          const lines = describeChanges(before, a)
          const detached = options.removeVolume.filter((source) => !source.startsWith('/'))
          return lines.length === 0
            ? `Nothing changed: ${a.name} has these settings already.`
            : [`Changed ${a.name}:`, ...lines.map((line) => `  ${line}`)]
                .concat(
                  detached.length > 0
                    ? [
                        `The data of ${detached.join(', ')} stays on the server until the app is removed with --delete-volumes.`,
                      ]
                    : [],
                )
                .concat(a.settingsPending ? [`Deploy to apply: helvetia deploy ${a.name}`] : [])
                .join('\n')
        })
      }),
    )
}

/** The API's changes from `app update`'s options; `spec`: the app's now, for the lists to add to and remove from. */
function settingsChanges(options: UpdateOptions, spec: StoredSpec): AppChanges {
  const list =
    options.addDomain.length > 0 || options.removeDomain.length > 0
      ? editedDomains(spec.domains ?? [], options.addDomain, options.removeDomain)
      : options.domain
  const volumes =
    options.volume.length > 0 || options.removeVolume.length > 0
      ? editedVolumes(spec.volumes ?? [], options.volume, options.removeVolume)
      : undefined
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
  const processes = editedProcesses(spec.processes, options)
  return {
    ...(processes !== undefined ? { processes } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(list !== undefined ? { domains: list } : {}),
    ...(Object.keys(health).length > 0 ? { health } : {}),
    ...(Object.keys(resources).length > 0 ? { resources } : {}),
    ...(options.restart !== undefined ? { restart: options.restart as RestartPolicy } : {}),
    ...(options.keepImages !== undefined ? { keepImages: options.keepImages } : {}),
    ...(options.drain !== undefined ? { drainS: options.drain } : {}),
    ...(options.branch !== undefined ? { branch: options.branch } : {}),
    ...(volumes !== undefined ? { volumes } : {}),
    ...(options.releaseCommand !== undefined
      ? { releaseCommand: options.releaseCommand === '' ? null : options.releaseCommand }
      : {}),
  }
}

/**
 * The app's volumes with `remove` (by source) taken out and `add` (`SOURCE:/path`, checked by the
 * core) put in, replacing one of the same source or path; VOLUME_NOT_FOUND for one it lacks.
 */
function editedVolumes(volumes: AppVolume[], add: string[], remove: string[]): AppVolume[] {
  const missing = remove.filter((source) => !volumes.some((v) => v.source === source))
  if (missing.length > 0) {
    throw new UserError(
      'VOLUME_NOT_FOUND',
      `The app has no volume ${missing.join(', ')}.`,
      'See its volumes with `helvetia app list --json` (spec.volumes).',
    )
  }
  const added = add.map((text) => {
    const colon = text.indexOf(':')
    if (colon <= 0) {
      throw new UserError(
        'INVALID_OPTION',
        `Invalid --volume: ${JSON.stringify(text)}`,
        'Expected NAME:/container/path, or /host/folder:/container/path.',
        { field: 'volumes' },
      )
    }
    return { source: text.slice(0, colon), path: text.slice(colon + 1) }
  })
  const replaced = (v: AppVolume) => added.some((a) => a.source === v.source || a.path === v.path)
  return [...volumes.filter((v) => !remove.includes(v.source) && !replaced(v)), ...added]
}

/** The app's domains with `add` added and `remove` taken out (matched by host); DOMAIN_NOT_FOUND for one it lacks. */
function editedDomains(domains: string[], add: string[], remove: string[]): string[] {
  const hostOf = (domain: string) => parseDomain(domain).host
  const removed = new Set(remove.map(hostOf))
  const missing = [...removed].filter((host) => !domains.some((d) => hostOf(d) === host))
  if (missing.length > 0) {
    throw new UserError(
      'DOMAIN_NOT_FOUND',
      `The app has no domain ${missing.join(', ')}.`,
      'See its domains with `helvetia app list`.',
    )
  }
  return [...domains.filter((d) => !removed.has(hostOf(d))), ...add]
}

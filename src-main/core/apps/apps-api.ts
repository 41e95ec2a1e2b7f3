import type {
  AppChanges,
  AppSource,
  CreateAppInput,
  DeployKeyRotation,
  DeployProgress,
  LogBatch,
  HandlersOf,
  UpdateAppInput,
} from '../../api/contract'
import {
  optionalBoolean,
  optionalInteger,
  optionalNullableString,
  optionalRecord,
  optionalString,
  requireString,
  stringArray,
} from '../api/input'
import type { Certificates } from '../certs/certificates'
import type { Changes } from '../changes'
import type { DeployRunOptions } from '../deploy/deployer'
import { boundedStream, progressMarks, type BoundedStreamOptions } from '../bounded-stream'
import { lineBatcher } from '../logs/line-batcher'
import type { Apps } from './apps'

/** A runtime log's batches are held by characters, as progress is (see progressMarks). */
const LOG_MARKS: BoundedStreamOptions<LogBatch> = {
  highWater: 256 * 1024,
  size: (batch) => batch.lines.reduce((sum, line) => sum + line.length + 1, 0),
}

/**
 * The apps and env methods of the API, over the core's apps service. `trigger`: what deploys and
 * rollbacks started here record as their trigger, the face serving the API (`desktop`, `web`, `cli`).
 */
export function appsApi(
  apps: Apps,
  changes: Changes,
  certificates: Certificates,
  rotateDeployKey: (name: string) => Promise<DeployKeyRotation>,
  trigger: string,
): HandlersOf<'apps' | 'env'> {
  /** Runs a deploy-like operation and streams its progress, ending with the deployment's record. */
  const progress = (
    run: (options: DeployRunOptions) => Promise<Awaited<ReturnType<Apps['deploy']>>>,
    signal: AbortSignal,
  ) =>
    boundedStream<DeployProgress>(
      async (sink) => {
        const deployment = await run({
          signal: sink.signal,
          // The log's reading pauses while the reader lags: its SSH channel stops, then the `tail`.
          flow: sink,
          onEvent: (event) =>
            sink.push(
              event.type === 'uploaded'
                ? {
                    type: 'uploaded',
                    files: event.upload.files,
                    treeBytes: event.upload.treeBytes,
                    sentBytes: event.upload.sentBytes,
                  }
                : event,
            ),
        })
        sink.push({ type: 'done', deployment })
      },
      signal,
      progressMarks<DeployProgress>(),
    )

  return {
    'apps:list': async () => apps.list(),
    'apps:watch': (_input, signal) => changes.watch('apps', apps.list, signal),
    'apps:get': async (input) => apps.get(requireString(input, 'name')),
    'apps:create': async (input) => {
      const { deployKey, ...app } = createInput(input)
      return deployKey ? apps.createWithDeployKey(app, deployKey) : apps.create(app)
    },
    'apps:update': async (input) => {
      const { name, changes } = updateInput(input)
      return apps.update(name, changes)
    },
    'apps:remove': (input) => apps.remove(requireString(input, 'name')),
    'apps:status': (input) => apps.status(requireString(input, 'name')),
    'apps:deployments': (input) => apps.deployments(requireString(input, 'name')),
    'apps:certificates': (input) => certificates.forApp(requireString(input, 'name')),
    'apps:deploy-key': async (input) => apps.deployKey(requireString(input, 'name')),
    'apps:rotate-deploy-key': (input) => rotateDeployKey(requireString(input, 'name')),
    'apps:deploy': (input, signal) => {
      const name = requireString(input, 'name')
      const path = optionalString(input, 'path')
      const commit = optionalString(input, 'commit')
      return progress((options) => apps.deploy(name, { ...options, path, commit, trigger }), signal)
    },
    'apps:rollback': (input, signal) => {
      const name = requireString(input, 'name')
      const to = optionalString(input, 'to')
      return progress((options) => apps.rollback(name, { ...options, to, trigger }), signal)
    },
    'apps:deployment-log': (input, signal) => {
      const name = requireString(input, 'name')
      const id = requireString(input, 'id')
      return progress((options) => apps.followDeployment(name, id, options), signal)
    },
    'apps:logs': (input, signal) => {
      const name = requireString(input, 'name')
      const tail = optionalInteger(input, 'tail')
      const follow = optionalBoolean(input, 'follow')
      return boundedStream<LogBatch>(
        async (sink) => {
          const batches = lineBatcher((lines) => sink.push({ lines }))
          try {
            // Paused while the reader lags: the SSH channel of `docker logs`, then the container's
            // log driver keeps the rest on the server, where it belongs.
            await apps.logs(name, { tail, follow, onLine: batches.push, signal: sink.signal, flow: sink })
          } finally {
            batches.flush()
          }
        },
        signal,
        LOG_MARKS,
      )
    },
    'env:list': async (input) => apps.listEnv(requireString(input, 'name')),
    'env:set': (input) => {
      const vars = (input as { vars?: unknown }).vars
      if (!Array.isArray(vars)) throw new TypeError('Expected an array "vars"')
      return apps.setEnv(
        requireString(input, 'name'),
        vars.map((v) => ({ key: requireString(v, 'key'), value: stringValue(v) })),
        optionalBoolean(input, 'secret') ?? false,
      )
    },
    'env:unset': (input) => apps.unsetEnv(requireString(input, 'name'), stringArray(input, 'keys')),
  }
}

function createInput(input: unknown): CreateAppInput {
  const source = (input as { source?: unknown }).source
  const kind = optionalString(source, 'kind')
  let appSource: AppSource
  if (kind === 'folder') appSource = { kind, path: requireString(source, 'path') }
  else if (kind === 'git') {
    appSource = { kind, url: requireString(source, 'url'), branch: optionalString(source, 'branch') }
  } else throw new TypeError('Expected a source of kind "folder" or "git"')
  const domains =
    (input as { domains?: unknown }).domains === undefined ? undefined : stringArray(input, 'domains')
  const cpus = (input as { cpus?: unknown }).cpus
  if (cpus !== undefined && typeof cpus !== 'number') throw new TypeError('Expected a number "cpus"')
  return {
    name: requireString(input, 'name'),
    server: requireString(input, 'server'),
    source: appSource,
    port: optionalInteger(input, 'port'),
    domains,
    healthPath: optionalString(input, 'healthPath'),
    memory: optionalString(input, 'memory'),
    cpus,
    deployKey: deployKeyInput(input),
  }
}

/** A new app's deploy key: `{ privateKey }` or `{ generate: true }`, or none. */
function deployKeyInput(input: unknown): CreateAppInput['deployKey'] {
  const key = (input as { deployKey?: unknown }).deployKey
  if (key === undefined) return undefined
  if (optionalBoolean(key, 'generate') === true) return { generate: true }
  return { privateKey: requireString(key, 'privateKey') }
}

const CHANGE_KEYS = ['port', 'domains', 'health', 'resources', 'restart', 'keepImages', 'drainS', 'branch']
const HEALTH_KEYS = ['kind', 'path', 'intervalS', 'timeoutS', 'retries', 'startPeriodS']

/**
 * The shape of an update: known keys, strings where the spec has strings. Numbers and every value are
 * checked by the core against the rules of create, with messages that name the field.
 */
function updateInput(input: unknown): UpdateAppInput {
  const changes = optionalRecord(input, 'changes', CHANGE_KEYS)
  if (!changes) throw new TypeError('Expected an object "changes"')
  const health = optionalRecord(changes, 'health', HEALTH_KEYS)
  const resources = optionalRecord(changes, 'resources', ['memory', 'cpus', 'pids'])
  optionalString(health, 'kind')
  optionalString(health, 'path')
  optionalNullableString(resources, 'memory')
  optionalString(changes, 'restart')
  optionalNullableString(changes, 'branch')
  if (changes.domains !== undefined) stringArray(changes, 'domains')
  return { name: requireString(input, 'name'), changes: changes as AppChanges }
}

/** An env value may be empty, unlike the other strings. */
function stringValue(v: unknown): string {
  const value = (v as { value?: unknown }).value
  if (typeof value !== 'string') throw new TypeError('Expected a string "value"')
  return value
}

import type { DeployKeyRotation, DeployProgress, LogBatch, HandlersOf } from '../../api/contract'
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

/** Runs a deploy-like operation and streams its progress, ending with the deployment's record. */
export const deployProgress = (
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
  return {
    'apps:list': async () => apps.list(),
    'apps:watch': (_input, signal) => changes.watch('apps', apps.list, signal),
    'apps:get': async ({ name }) => apps.get(name),
    'apps:create': async ({ deployKey, ...app }) =>
      deployKey ? apps.createWithDeployKey(app, deployKey) : apps.create(app),
    'apps:update': async ({ name, changes }) => apps.update(name, changes),
    'apps:remove': ({ name, volumes }) => apps.remove(name, volumes),
    'apps:status': ({ name }) => apps.status(name),
    'apps:deployments': ({ name }) => apps.deployments(name),
    'apps:certificates': ({ name }) => certificates.forApp(name),
    'apps:deploy-key': async ({ name }) => apps.deployKey(name),
    'apps:rotate-deploy-key': ({ name }) => rotateDeployKey(name),
    'apps:deploy': ({ name, path, commit }, signal) =>
      deployProgress((options) => apps.deploy(name, { ...options, path, commit, trigger }), signal),
    'apps:rollback': ({ name, to }, signal) =>
      deployProgress((options) => apps.rollback(name, { ...options, to, trigger }), signal),
    'apps:deployment-log': ({ name, id }, signal) => {
      return deployProgress((options) => apps.followDeployment(name, id, options), signal)
    },
    'apps:logs': ({ name, tail, follow, service }, signal) => {
      return boundedStream<LogBatch>(
        async (sink) => {
          const batches = lineBatcher((lines) => sink.push({ lines }))
          try {
            // Paused while the reader lags: the SSH channel of `docker logs`, then the container's
            // log driver keeps the rest on the server, where it belongs.
            await apps.logs(name, { tail, follow, service, onLine: batches.push, signal: sink.signal, flow: sink })
          } finally {
            batches.flush()
          }
        },
        signal,
        LOG_MARKS,
      )
    },
    'env:list': async ({ name }) => apps.listEnv(name),
    'env:set': ({ name, vars, secret }) => apps.setEnv(name, vars, secret ?? false),
    'env:unset': ({ name, keys }) => apps.unsetEnv(name, keys),
  }
}

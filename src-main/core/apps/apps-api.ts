import type { DeployKeyRotation, DeployProgress, LogBatch, HandlersOf } from '../../api/contract'
import type { Certificates } from '../certs/certificates'
import type { Changes } from '../changes'
import type { DeployRunOptions } from '../deploy/deployer'
import { eventStream } from '../event-stream'
import { lineBatcher } from '../logs/line-batcher'
import type { Apps } from './apps'

/** The apps and env methods of the API, over the core's apps service. */
export function appsApi(
  apps: Apps,
  changes: Changes,
  certificates: Certificates,
  rotateDeployKey: (name: string) => Promise<DeployKeyRotation>,
): HandlersOf<'apps' | 'env'> {
  /** Runs a deploy-like operation and streams its progress, ending with the deployment's record. */
  const progress = (
    run: (options: DeployRunOptions) => Promise<Awaited<ReturnType<Apps['deploy']>>>,
    signal: AbortSignal,
  ) =>
    eventStream<DeployProgress>(async (emit, abort) => {
      const deployment = await run({
        signal: abort,
        onEvent: (event) =>
          emit(
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
      emit({ type: 'done', deployment })
    }, signal)

  return {
    'apps:list': async () => apps.list(),
    'apps:watch': (_input, signal) => changes.watch('apps', apps.list, signal),
    'apps:create': async (input) => apps.create(input),
    'apps:update': async ({ name, changes }) => apps.update(name, changes),
    'apps:remove': ({ name }) => apps.remove(name),
    'apps:status': ({ name }) => apps.status(name),
    'apps:deployments': ({ name }) => apps.deployments(name),
    'apps:certificates': ({ name }) => certificates.forApp(name),
    'apps:deploy-key': async ({ name }) => apps.deployKey(name),
    'apps:rotate-deploy-key': ({ name }) => rotateDeployKey(name),
    'apps:deploy': ({ name, path, commit }, signal) => {
      return progress(
        (options) => apps.deploy(name, { ...options, path, commit, trigger: 'desktop' }),
        signal,
      )
    },
    'apps:rollback': ({ name, to }, signal) => {
      return progress((options) => apps.rollback(name, { ...options, to }), signal)
    },
    'apps:deployment-log': ({ name, id }, signal) => {
      return progress((options) => apps.followDeployment(name, id, options), signal)
    },
    'apps:logs': ({ name, tail, follow }, signal) => {
      return eventStream<LogBatch>(async (emit, abort) => {
        const batches = lineBatcher((lines) => emit({ lines }))
        try {
          await apps.logs(name, { tail, follow, onLine: batches.push, signal: abort })
        } finally {
          batches.flush()
        }
      }, signal)
    },
    'env:list': async ({ name }) => apps.listEnv(name),
    'env:set': ({ name, vars, secret }) => apps.setEnv(name, vars, secret ?? false),
    'env:unset': ({ name, keys }) => apps.unsetEnv(name, keys),
  }
}

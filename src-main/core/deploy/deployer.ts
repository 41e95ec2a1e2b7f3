import type { VolumesChoice, VolumesOutcome } from '../../api/apps'
import { UserError } from '../errors'
import { createSecretMasker } from '../logs/secret-masker'
import type { Flow } from '../bounded-stream'
import type { ScriptRunner } from '../remote/script-runner'
import { uploadFolder, type UploadResult } from '../source/folder-upload'
import { fetchGitSource } from '../source/git-fetch'
import type { ComposeFile } from '../stacks/compose-file'
import { commitComposeFile, composeChecked, folderComposeFile } from '../stacks/stack-source'
import type { Target } from '../targets/target'
import { appDomains, resolveAppSpec, validateAppName, type AppInput } from './app-spec'
import { createLogFollower, type DeployEvent, type LogFollower } from './deploy-log'
import { DEPLOYMENT_ID, deployRequestArchive, newDeploymentId, type DeploySource } from './deploy-request'
import { parseDeployment, parseHistory, type AppHistory, type Deployment } from './deployment-record'

export type { DeployEvent } from './deploy-log'

export type SourceInput =
  | { kind: 'folder'; path: string }
  /** Deploys `commit`, or else the commit `branch` (default: the remote's HEAD) is at on the server. */
  | { kind: 'git'; url: string; branch?: string; commit?: string; deployKey?: string }

export interface DeployInput {
  app: AppInput
  source: SourceInput
  /** The server's address as the desktop knows it: the default domain is `<app>.<address>.sslip.io`. */
  serverAddress: string
  /** Who or what started it (default `desktop`). */
  trigger?: string
  /** A catalogue app's template version, which the deployment records. */
  templateVersion?: string
}

export interface RollbackInput {
  app: AppInput
  serverAddress: string
  /** The deployment whose image to run again (default: the last successful one before the live one). */
  to?: string
  trigger?: string
}

export interface DeployRunOptions {
  onEvent?: (event: DeployEvent | { type: 'uploaded'; upload: UploadResult }) => void
  /**
   * Awaited once the source is on the server (a git commit fetched and found on the app's branch),
   * right before the deployment starts; a throw stops it there.
   */
  beforeStart?: () => Promise<void>
  /** Stops following; the deploy itself carries on on the server (attach again with `follow`). */
  signal?: AbortSignal
  /** Paces the log's reading to its reader (see ExecOptions.flow). */
  flow?: Flow
}

export interface FollowOptions extends DeployRunOptions {
  /** Bytes of the log already seen (0 for all of it). */
  offset?: number
  /** The values to mask in the stream (the app's secret env values). */
  secrets?: readonly string[]
  /** How long to keep reattaching after the connection drops (default 10 min). */
  reattachForMs?: number
}

export interface Deployer {
  /**
   * Sends the source, starts the deployment on the server (detached) and follows its log until it is
   * live or has failed. Resolves with the record either way: a failed deployment left the previous
   * one serving, and carries the reason and the new container's last log lines. Throws a UserError
   * only when no deployment could start (invalid app, no Dockerfile, upload failed, …).
   */
  deploy(target: Target, input: DeployInput, options?: DeployRunOptions): Promise<Deployment>
  /** Runs a kept image again through the same zero-downtime path, without building. */
  rollback(target: Target, input: RollbackInput, options?: DeployRunOptions): Promise<Deployment>
  /** Attaches to a deployment's log (again), reattaching by itself while the connection comes back. */
  follow(target: Target, app: string, id: string, options?: FollowOptions): Promise<Deployment>
  history(target: Target, app: string, signal?: AbortSignal): Promise<AppHistory>
  /** The live container's log, masked; `follow` keeps streaming until aborted. */
  logs(
    target: Target,
    app: string,
    options: {
      tail?: number
      follow?: boolean
      /** A process type's containers (default: the web one). */
      service?: string
      secrets?: readonly string[]
      onLine: (line: string) => void
      signal?: AbortSignal
      flow?: Flow
    },
  ): Promise<void>
  /**
   * Removes the app from the server: route, containers, its own images, history, and its volumes when
   * `volumes` is `delete` (`keep`: they stay, with their data). Says which volumes it kept or deleted.
   */
  remove(target: Target, app: string, volumes: VolumesChoice, signal?: AbortSignal): Promise<VolumesOutcome>
}

/** How often a folder deploy sends its folder again when other uploads of the app keep coming in between. */
const SOURCE_ATTEMPTS = 3

/**
 * Sends a folder and deploys it, sending it again when another upload of the app raced it: the server
 * snapshots the source when the deploy starts, so an upload that came in between is refused there
 * (SOURCE_CHANGED), or made this one's changes not apply (UPLOAD_MISMATCH).
 */
async function sendingAgainOnRace(send: () => Promise<Deployment>): Promise<Deployment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send()
    } catch (error) {
      const raced =
        error instanceof UserError && (error.code === 'SOURCE_CHANGED' || error.code === 'UPLOAD_MISMATCH')
      if (!raced || attempt >= SOURCE_ATTEMPTS) throw error
    }
  }
}

/** The successful deployment before the current one, which a rollback without `to` goes back to. */
function previousSuccess({ current, deployments }: AppHistory): string | undefined {
  return deployments
    .filter((d) => d.status === 'succeeded' && d.id !== current && d.id < (current ?? '~'))
    .at(-1)?.id
}

/**
 * The record a follow ends with. `outcome`: the end the log told; when the record does not show it,
 * the server could not write it (its disk is full).
 */
function checkedRecord(
  record: Deployment | undefined,
  outcome: LogFollower['outcome'],
  app: string,
  id: string,
): Deployment {
  if (!record) throw new UserError('NOT_FOUND', `The server has no deployment ${id} of ${app}.`)
  if (outcome && record.status !== 'succeeded' && record.status !== 'failed') {
    throw new UserError(
      'RECORD_WRITE_FAILED',
      `Deployment ${id} of ${app} ${outcome === 'failed' ? 'failed' : 'went live'}, but the server could not write its record.`,
      "Free space on the server's disk (df -h ~); its history then shows how it ended.",
    )
  }
  return record
}

/** @param deps.prefix names the server folder (`~/.<prefix>`), the proxy and network; tests use their own. */
export function createDeployer(deps: { scripts: ScriptRunner; prefix?: string }): Deployer {
  const { scripts } = deps
  const prefix = deps.prefix ?? 'helvetia'

  const history: Deployer['history'] = async (target, app, signal) => {
    const input = { prefix, app: validateAppName(app) }
    const { lines } = await scripts.call(target, 'deploy.history', input, { signal })
    return parseHistory(lines)
  }

  const finalRecord = async (target: Target, app: string, id: string, signal?: AbortSignal) => {
    const { stdout } = await scripts.call(target, 'deploy.record', { prefix, app, id }, { signal })
    return stdout ? parseDeployment(JSON.parse(stdout) as Record<string, string>) : undefined
  }

  const follow: Deployer['follow'] = async (target, app, id, options = {}) => {
    const follower = createLogFollower({
      scripts,
      prefix,
      app,
      id,
      secrets: options.secrets ?? [],
      offset: options.offset,
      onEvent: options.onEvent ?? (() => {}),
      flow: options.flow,
    })
    const giveUpAt = Date.now() + (options.reattachForMs ?? 600_000)
    for (;;) {
      try {
        await follower.follow(target, options.signal)
        break
      } catch (error) {
        // The deploy runs on; once the connection is back, continue from the last byte seen.
        const lost = error instanceof UserError && error.code === 'SSH_CONNECTION_LOST'
        if (!lost || Date.now() > giveUpAt) throw error
      }
    }
    // A deploy that reported its end has its final record; one that did not is checked for staleness.
    const record = follower.outcome
      ? await finalRecord(target, app, id, options.signal)
      : (await history(target, app, options.signal)).deployments.find((d) => d.id === id)
    return checkedRecord(record, follower.outcome, app, id)
  }

  const start = async (
    target: Target,
    input: { app: AppInput; serverAddress: string; trigger?: string; templateVersion?: string },
    source: DeploySource,
    options: DeployRunOptions,
    composeFile: ComposeFile | null = null,
  ): Promise<Deployment> => {
    const spec = composeChecked(resolveAppSpec(input.app), composeFile)
    const id = newDeploymentId()
    const archive = deployRequestArchive({
      id,
      spec,
      domains: spec.compose ? [] : appDomains(spec, input.serverAddress),
      source,
      trigger: input.trigger ?? (source.kind === 'image' ? 'rollback' : 'desktop'),
      templateVersion: input.templateVersion,
      stack: { prefix, file: composeFile },
    })
    await options.beforeStart?.()
    const request = { stdin: archive, signal: options.signal }
    await scripts.call(target, 'deploy.start', { prefix, app: spec.name, id }, request)
    options.onEvent?.({ type: 'started', id, ...(source.kind === 'git' ? { commit: source.commit } : {}) })
    const secrets = spec.env.filter((v) => v.secret).map((v) => v.value)
    return follow(target, spec.name, id, { ...options, secrets })
  }

  return {
    history,
    follow,

    async deploy(target, input, options = {}) {
      const spec = resolveAppSpec(input.app)
      if (input.source.kind === 'folder') {
        const folder = { prefix, app: spec.name, folder: input.source.path, signal: options.signal }
        const composeFile = folderComposeFile(folder.folder, spec.compose)
        return sendingAgainOnRace(async () => {
          const upload = await uploadFolder(target, scripts, { ...folder, compose: composeFile !== null })
          options.onEvent?.({ type: 'uploaded', upload })
          return start(target, input, { kind: 'folder', sourceId: upload.sourceId }, options, composeFile)
        })
      }
      const { commit } = await fetchGitSource(target, scripts, {
        ...input.source,
        prefix,
        app: spec.name,
        onEvent: options.onEvent,
        signal: options.signal,
      })
      const composeFile = await commitComposeFile(target, scripts, prefix, commit, spec)
      return start(target, input, { kind: 'git', url: input.source.url, commit }, options, composeFile)
    },

    async rollback(target, input, options = {}) {
      const spec = resolveAppSpec(input.app)
      const to = input.to ?? previousSuccess(await history(target, spec.name, options.signal))
      if (!to || !DEPLOYMENT_ID.test(to)) {
        throw new UserError(
          'NOTHING_TO_ROLL_BACK',
          `${spec.name} has no earlier successful deployment.`,
          'See `helvetia deployments`.',
        )
      }
      return start(target, input, { kind: 'image', rollbackOf: to }, options)
    },

    async logs(target, app, options) {
      const masker = createSecretMasker(options.secrets ?? [])
      const input = {
        prefix,
        app: validateAppName(app),
        tail: options.tail ?? 100,
        follow: options.follow ? (1 as const) : (0 as const),
        service: options.service,
      }
      await scripts.call(target, 'deploy.logs', input, {
        onEvent: (event) => event.type === 'log' && options.onLine(masker.maskAll(event.line)),
        signal: options.signal,
        flow: options.flow,
      })
    },

    async remove(target, app, volumes, signal) {
      const input = { prefix, app: validateAppName(app), volumes }
      const { facts } = await scripts.call(target, 'deploy.remove', input, { signal })
      const names = (fact: string | undefined) => (fact ?? '').split(' ').filter(Boolean)
      return { kept: names(facts['volumes-kept']), deleted: names(facts['volumes-deleted']) }
    },
  }
}

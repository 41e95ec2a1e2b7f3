import { constants } from 'node:fs'
import { open } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { APP_DEFAULTS } from '../../api/apps'
import type { BuildPlan } from '../../api/builds'
import { UserError } from '../errors'
import type { ScriptRunner } from '../remote/script-runner'
import { fetchGitSource } from '../source/git-fetch'
import type { AppRecord } from '../store/app-store'
import type { ServerRecord } from '../store/server-store'
import type { Target } from '../targets/target'
import type { LocalGate } from '../this-computer'
import { deployKeyAccount } from '../vault/accounts'
import type { Vault } from '../vault/vault'
import { planBuild } from './build-plan'
import { gitCommitSource } from './git-files'
import { folderSource } from './source-files'

export interface BuildsDeps {
  apps: { record(name: string): AppRecord }
  servers: { byId(id: string): ServerRecord | null; targetFor(server: ServerRecord): Target }
  vault: Vault
  scripts: ScriptRunner
  prefix: string
  /** Whether this face may read a folder of this computer. */
  local: LocalGate
}

export type PlanInput = { app?: string; path?: string; eject?: boolean }

/**
 * Build plans (`builds:plan`): what a deploy of an app, or of a folder before an app exists, builds
 * with, and `eject`, which writes a generated Dockerfile into the folder as the app's own.
 */
export function createBuilds(deps: BuildsDeps) {
  const { apps, servers, vault, scripts, prefix, local } = deps

  /** A git app's branch head (or its repository's default branch), fetched on its server, then read there. */
  const gitFiles = async (
    app: AppRecord,
    source: Extract<AppRecord['source'], { kind: 'git' }>,
    signal?: AbortSignal,
  ) => {
    const server = servers.byId(app.serverId)
    if (!server) {
      throw new UserError(
        'SERVER_NOT_FOUND',
        `The server of ${app.name} was removed.`,
        'Remove the app, or add the server again.',
      )
    }
    const target = servers.targetFor(server)
    const deployKey = source.deployKey
      ? ((await vault.get(deployKeyAccount(app.id))) ?? undefined)
      : undefined
    const git = { prefix, app: app.name, url: source.url }
    const { commit } = await fetchGitSource(target, scripts, {
      ...git,
      branch: source.branch,
      deployKey,
      signal,
    })
    return gitCommitSource(
      target,
      scripts,
      { ...git, commit, dockerfile: app.spec.build?.dockerfile ?? 'Dockerfile' },
      signal,
    )
  }

  return {
    async plan(input: PlanInput, signal?: AbortSignal): Promise<BuildPlan & { ejected: string | null }> {
      if ((input.app === undefined) === (input.path === undefined)) {
        throw new UserError(
          'INVALID_OPTION',
          'Plan an app or a folder: give one of the two.',
          'Give the app’s name, or --path DIR.',
        )
      }
      let folder: string | null = null
      let plan: BuildPlan
      if (input.app === undefined) {
        local('folder')
        folder = resolve(input.path!)
        plan = await planBuild(folderSource(folder), { port: APP_DEFAULTS.port })
      } else {
        const app = apps.record(input.app)
        const options = { port: app.spec.port ?? APP_DEFAULTS.port, dockerfile: app.spec.build?.dockerfile }
        if (app.source.kind === 'folder') {
          local('folder')
          folder = app.source.path
          plan = await planBuild(folderSource(folder), options)
        } else if (app.source.kind === 'git') {
          plan = await planBuild(await gitFiles(app, app.source, signal), options)
        } else {
          throw new UserError(
            'INVALID_OPTION',
            `${app.name} runs ${app.source.kind === 'image' ? 'a prebuilt image' : 'a catalogue template'}: nothing is built.`,
            'Plan an app made from a folder or a git repository.',
          )
        }
      }
      if (!input.eject) return { ...plan, ejected: null }
      if (!plan.generated) {
        throw new UserError(
          'DOCKERFILE_EXISTS',
          `${plan.evidence[0]?.split(':')[0] ?? 'Dockerfile'} is there already: it is what the app builds with.`,
          'Nothing to eject: edit that Dockerfile.',
        )
      }
      // A git app's files are in its repository: the plan shows the Dockerfile to commit there.
      return { ...plan, ejected: folder === null ? null : await writeNew(folder, plan.dockerfile) }
    },
  }
}

/** Writes `Dockerfile` into the folder, never over one that is there (O_EXCL, and no link followed). */
async function writeNew(folder: string, text: string): Promise<string> {
  const path = join(folder, 'Dockerfile')
  const handle = await open(
    path,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    0o644,
  ).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST') {
      throw new UserError(
        'DOCKERFILE_EXISTS',
        `${path} exists already: nothing was written.`,
        'Remove or rename it first, or keep it: it is what the app builds with.',
      )
    }
    throw new UserError(
      'INVALID_OPTION',
      `Cannot write ${path}: ${error.message}`,
      'Check that the folder exists and that you may write to it.',
    )
  })
  try {
    await handle.writeFile(text)
  } finally {
    await handle.close()
  }
  return path
}

export type Builds = ReturnType<typeof createBuilds>

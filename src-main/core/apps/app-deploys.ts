import type { DeployRunOptions, SourceInput } from '../deploy/deployer'
import type { Deployment } from '../deploy/deployment-record'
import { UserError } from '../errors'
import { catalogAppFolder } from '../catalog/catalog-folder'
import { validateCommit } from '../source/git-source'
import { deployKeyAccount } from '../vault/accounts'
import type { AppContext } from './app-context'
import type { AppRecord } from '../store/app-store'

/** What a deploy applies: the deploy key is not among it (a new one takes effect at once). */
const settingsOf = (app: AppRecord): string =>
  JSON.stringify([app.spec, { ...app.source, deployKey: undefined }])

/** Deploying an app and rolling it back, followed until live or failed; what it carried is no longer pending. */
export function createAppDeploys(ctx: AppContext) {
  const { store, vault, deployer } = ctx

  /**
   * What a deploy builds: `path` instead of the app's folder, or the app's repository at `commit`
   * (default: the head of its branch, resolved on the server), fetched with its deploy key.
   */
  const deploySource = async (app: AppRecord, options: { path?: string; commit?: string }) => {
    if (options.commit !== undefined && (options.path !== undefined || app.source.kind !== 'git')) {
      throw new UserError(
        'INVALID_OPTION',
        `--commit applies to an app deployed from a git repository, and not with --path.`,
        `Deploy ${app.name} without --commit.`,
      )
    }
    if (options.path !== undefined) return ctx.localFolder(options.path)
    if (app.source.kind === 'folder') return ctx.localFolder(app.source.path)
    // Helvetia's own folder (not one of the user's): sent from any face.
    if (app.source.kind === 'catalog') {
      return { kind: 'folder', path: catalogAppFolder(ctx.home, app.id, app.source.version) } as const
    }
    if (app.source.kind !== 'git') {
      throw new UserError(
        'INVALID_OPTION',
        `${app.name} comes from an image, which this deploy cannot run yet.`,
        'Deploy an app made from a folder or a git repository.',
      )
    }
    const { url, branch, deployKey } = app.source
    const privateKey = deployKey ? await vault.get(deployKeyAccount(app.id)) : null
    if (deployKey && privateKey === null) {
      throw new UserError(
        'DEPLOY_KEY_MISSING',
        `The deploy key of ${app.name} is not in this keychain.`,
        `Deploy from the computer that created the app, or give it a new key here: \`helvetia app deploy-key ${app.name} --rotate\`.`,
      )
    }
    const source: SourceInput = {
      kind: 'git',
      url,
      ...(branch !== undefined ? { branch } : {}),
      ...(options.commit !== undefined ? { commit: validateCommit(options.commit) } : {}),
      ...(privateKey !== null ? { deployKey: privateKey } : {}),
    }
    return source
  }

  /**
   * A successful deploy or rollback carries the current env and the settings `app` had when it started:
   * those are no longer pending (settings changed while it ran still are).
   */
  const settle = (app: AppRecord, deployment: Deployment): Deployment => {
    const now = store.get(app.name)
    if (deployment.status === 'succeeded' && now?.id === app.id) {
      store.clearPending(app.id, { env: true, settings: settingsOf(now) === settingsOf(app) })
      // A rollback of a catalogue app runs an earlier template version: the app's follows it.
      const version = deployment.templateVersion
      if (now.source.kind === 'catalog' && version && version !== now.source.version) {
        store.setSource(app.id, { ...now.source, version })
      }
    }
    ctx.changed()
    return deployment
  }

  return {
    /**
     * Sends the app's folder (or `path`), or has the server fetch its repository at `commit` (default:
     * its branch's head), deploys it and follows it until it is live or has failed.
     */
    async deploy(
      name: string,
      options: DeployRunOptions & { path?: string; commit?: string; trigger?: string } = {},
    ) {
      const app = ctx.get(name)
      const server = ctx.serverOf(app)
      const deployment = await deployer.deploy(
        ctx.servers.targetFor(server),
        {
          app: await ctx.appInput(app),
          source: await deploySource(app, options),
          serverAddress: server.host,
          trigger: options.trigger,
          ...(app.source.kind === 'catalog' ? { templateVersion: app.source.version } : {}),
        },
        options,
      )
      return settle(app, deployment)
    },

    async rollback(name: string, options: DeployRunOptions & { to?: string; trigger?: string } = {}) {
      const app = ctx.get(name)
      const server = ctx.serverOf(app)
      const deployment = await deployer.rollback(
        ctx.servers.targetFor(server),
        {
          app: await ctx.appInput(app),
          serverAddress: server.host,
          to: options.to,
          trigger: options.trigger,
        },
        options,
      )
      return settle(app, deployment)
    },
  }
}

import type { Flow } from '../bounded-stream'
import type { AppStatus } from '../../api/apps'
import { DEPLOYMENT_ID } from '../deploy/deploy-request'
import type { DeployRunOptions } from '../deploy/deployer'
import type { AppHistory, Deployment } from '../deploy/deployment-record'
import { UserError } from '../errors'
import type { AppContext } from './app-context'

/** What runs and ran on an app's server: its status, deployments, a deployment's log, the runtime log. */
export function createAppStatus(ctx: AppContext) {
  const { deployer } = ctx
  return {
    /** Attaches to a deployment's log from its start; a running one is followed to its end. */
    async followDeployment(name: string, id: string, options: DeployRunOptions = {}): Promise<Deployment> {
      const app = ctx.get(name)
      if (!DEPLOYMENT_ID.test(id)) {
        throw new UserError(
          'INVALID_OPTION',
          `Invalid deployment id: ${JSON.stringify(id)}`,
          'See `helvetia deployments`.',
        )
      }
      const secrets = await ctx.secretsOf(app)
      return deployer.follow(ctx.targetOf(app), app.name, id, { ...options, secrets })
    },

    deployments(name: string, signal?: AbortSignal): Promise<AppHistory> {
      const app = ctx.get(name)
      return deployer.history(ctx.targetOf(app), app.name, signal)
    },

    async status(name: string, signal?: AbortSignal): Promise<AppStatus> {
      const app = ctx.get(name)
      const { current, deployments } = await deployer.history(ctx.targetOf(app), app.name, signal)
      return {
        app: ctx.summarize(app),
        live: deployments.find((d) => d.id === current) ?? null,
        latest: deployments.at(-1) ?? null,
      }
    },

    async logs(
      name: string,
      options: {
        tail?: number
        follow?: boolean
        service?: string
        onLine: (line: string) => void
        signal?: AbortSignal
        flow?: Flow
      },
    ): Promise<void> {
      const app = ctx.get(name)
      const secrets = await ctx.secretsOf(app)
      await deployer.logs(ctx.targetOf(app), app.name, { ...options, secrets })
    },
  }
}

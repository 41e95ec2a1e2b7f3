import { randomUUID } from 'node:crypto'
import { resolve } from 'node:path'
import { UserError } from '../errors'
import { resolveAppSpec, validateAppName, type AppInput, type EnvVar } from '../deploy/app-spec'
import type { Deployer, DeployRunOptions } from '../deploy/deployer'
import { DEFAULT_MASK } from '../logs/secret-masker'
import type { AppHistory, Deployment } from '../deploy/deployment-record'
import type { Servers } from '../servers/servers'
import type { ServerRecord } from '../store/server-store'
import type { Vault } from '../vault/vault'
import type { AppRecord, AppSource, AppStore, StoredSpec } from './app-store'

/** The vault account that holds one secret env value of an app. */
export const appSecretAccount = (appId: string, key: string) => `app:${appId}:env:${key}`

export interface CreateAppInput {
  name: string
  server: string
  source: AppSource | { kind: 'git'; url: string; branch?: string }
  port?: number
  domains?: string[]
  healthPath?: string
  memory?: string
  cpus?: number
}

export interface AppSummary {
  name: string
  server: string
  source: AppSource
  spec: StoredSpec
  envPending: boolean
  createdAt: string
}

export interface EnvListing {
  /** Secret values are masked. */
  vars: { key: string; value: string; secret: boolean }[]
  /** Changed since the last deploy: the running version does not have it yet. */
  pending: boolean
}

export interface AppStatus {
  app: AppSummary
  /** The live deployment, or null before the first successful one. */
  live: Deployment | null
  /** The newest deployment, whatever its outcome. */
  latest: Deployment | null
}

export function createApps(deps: { store: AppStore; servers: Servers; vault: Vault; deployer: Deployer }) {
  const { store, servers, vault, deployer } = deps

  const get = (name: string): AppRecord => {
    const app = store.get(name)
    if (!app) {
      throw new UserError(
        'APP_NOT_FOUND',
        `No app named "${name}".`,
        'Run `helvetia app list` to see the apps.',
      )
    }
    return app
  }

  const serverOf = (app: AppRecord): ServerRecord => {
    const server = servers.list().find((s) => s.id === app.serverId)
    if (!server) {
      throw new UserError(
        'SERVER_NOT_FOUND',
        `The server of ${app.name} was removed.`,
        'Remove the app, or add the server again.',
      )
    }
    return servers.get(server.name)
  }

  const summarize = (app: AppRecord): AppSummary => ({
    name: app.name,
    server: servers.list().find((s) => s.id === app.serverId)?.name ?? '(removed)',
    source: app.source,
    spec: app.spec,
    envPending: app.envPending,
    createdAt: app.createdAt,
  })

  /** The env with secret values from the vault. */
  const fullEnv = async (app: AppRecord): Promise<EnvVar[]> => {
    const env: EnvVar[] = []
    for (const v of store.env(app.id)) {
      const value = v.secret ? await vault.get(appSecretAccount(app.id, v.key)) : v.value
      if (value === null) {
        throw new UserError(
          'SECRET_MISSING',
          `The secret ${v.key} of ${app.name} is not in this keychain.`,
          `Set it again with \`helvetia env set ${app.name} ${v.key}=… --secret\`.`,
        )
      }
      env.push({ key: v.key, value, secret: v.secret })
    }
    return env
  }

  const appInput = async (app: AppRecord): Promise<AppInput> => ({
    ...app.spec,
    name: app.name,
    env: await fullEnv(app),
  })

  /** A successful deploy or rollback carries the current env: nothing is pending any more. */
  const settle = (app: AppRecord, deployment: Deployment): Deployment => {
    if (deployment.status === 'succeeded') store.setEnvPending(app.id, false)
    return deployment
  }

  return {
    list: (): AppSummary[] => store.list().map(summarize),

    create(input: CreateAppInput): AppSummary {
      const name = validateAppName(input.name)
      const server = servers.get(input.server)
      if (input.source.kind === 'git') {
        throw new UserError(
          'GIT_SOURCE_UNSUPPORTED',
          'Git sources are not supported by the CLI yet.',
          'Use --path with a local folder (a clone of the repository works).',
        )
      }
      if (store.get(name)) {
        throw new UserError('APP_EXISTS', `An app named "${name}" already exists.`, 'Pick another name.')
      }
      const spec: StoredSpec = {
        ...(input.port !== undefined ? { port: input.port } : {}),
        ...(input.domains?.length ? { domains: input.domains } : {}),
        ...(input.healthPath !== undefined ? { health: { path: input.healthPath } } : {}),
        ...(input.memory !== undefined || input.cpus !== undefined
          ? {
              resources: {
                ...(input.memory !== undefined ? { memory: input.memory } : {}),
                ...(input.cpus !== undefined ? { cpus: input.cpus } : {}),
              },
            }
          : {}),
      }
      resolveAppSpec({ ...spec, name })
      const record: AppRecord = {
        id: randomUUID(),
        name,
        serverId: server.id,
        spec,
        source: { kind: 'folder', path: resolve(input.source.path) },
        envPending: false,
        createdAt: new Date().toISOString(),
      }
      store.insert(record)
      return summarize(record)
    },

    /** Removes the app from its server (route, containers, images, history), the keychain and the store. */
    async remove(name: string, signal?: AbortSignal): Promise<void> {
      const app = get(name)
      const server = serverOf(app)
      await deployer.remove(servers.targetFor(server), app.name, signal)
      for (const v of store.env(app.id)) {
        if (v.secret) await vault.delete(appSecretAccount(app.id, v.key))
      }
      store.remove(app.id)
    },

    async setEnv(name: string, vars: { key: string; value: string }[], secret: boolean): Promise<void> {
      const app = get(name)
      const keys = new Set(vars.map((v) => v.key))
      const kept = store.env(app.id).filter((v) => !keys.has(v.key))
      // Validate the whole env as a deploy would see it, before anything is stored.
      resolveAppSpec({
        ...app.spec,
        name: app.name,
        env: [
          ...kept.map((v) => ({ key: v.key, value: v.value ?? '', secret: v.secret })),
          ...vars.map((v) => ({ ...v, secret })),
        ],
      })
      const wasSecret = new Set(
        store
          .env(app.id)
          .filter((v) => v.secret)
          .map((v) => v.key),
      )
      for (const v of vars) {
        const account = appSecretAccount(app.id, v.key)
        if (secret) await vault.set(account, v.value)
        else if (wasSecret.has(v.key)) await vault.delete(account)
      }
      store.setEnv(
        app.id,
        vars.map((v) => ({ ...v, secret })),
      )
    },

    async unsetEnv(name: string, keys: string[]): Promise<void> {
      const app = get(name)
      const known = new Map(store.env(app.id).map((v) => [v.key, v]))
      const unknown = keys.filter((key) => !known.has(key))
      if (unknown.length > 0) {
        throw new UserError(
          'ENV_NOT_FOUND',
          `${app.name} has no variable ${unknown.join(', ')}.`,
          `See \`helvetia env list ${app.name}\`.`,
        )
      }
      for (const key of keys) {
        if (known.get(key)?.secret) await vault.delete(appSecretAccount(app.id, key))
      }
      store.unsetEnv(app.id, keys)
    },

    listEnv(name: string): EnvListing {
      const app = get(name)
      return {
        vars: store
          .env(app.id)
          .map((v) => ({ key: v.key, value: v.secret ? DEFAULT_MASK : (v.value ?? ''), secret: v.secret })),
        pending: app.envPending,
      }
    },

    /** Sends the app's folder (or `path`), deploys it and follows it until it is live or has failed. */
    async deploy(name: string, options: DeployRunOptions & { path?: string; trigger?: string } = {}) {
      const app = get(name)
      const server = serverOf(app)
      const path = options.path ?? app.source.path
      const deployment = await deployer.deploy(
        servers.targetFor(server),
        {
          app: await appInput(app),
          source: { kind: 'folder', path: resolve(path) },
          serverAddress: server.host,
          trigger: options.trigger,
        },
        options,
      )
      return settle(app, deployment)
    },

    async rollback(name: string, options: DeployRunOptions & { to?: string; trigger?: string } = {}) {
      const app = get(name)
      const server = serverOf(app)
      const deployment = await deployer.rollback(
        servers.targetFor(server),
        { app: await appInput(app), serverAddress: server.host, to: options.to, trigger: options.trigger },
        options,
      )
      return settle(app, deployment)
    },

    deployments(name: string, signal?: AbortSignal): Promise<AppHistory> {
      const app = get(name)
      return deployer.history(servers.targetFor(serverOf(app)), app.name, signal)
    },

    async status(name: string, signal?: AbortSignal): Promise<AppStatus> {
      const app = get(name)
      const { current, deployments } = await deployer.history(
        servers.targetFor(serverOf(app)),
        app.name,
        signal,
      )
      return {
        app: summarize(app),
        live: deployments.find((d) => d.id === current) ?? null,
        latest: deployments.at(-1) ?? null,
      }
    },

    async logs(
      name: string,
      options: { tail?: number; follow?: boolean; onLine: (line: string) => void; signal?: AbortSignal },
    ): Promise<void> {
      const app = get(name)
      const secrets = (await fullEnv(app)).filter((v) => v.secret).map((v) => v.value)
      await deployer.logs(servers.targetFor(serverOf(app)), app.name, { ...options, secrets })
    },
  }
}

export type Apps = ReturnType<typeof createApps>

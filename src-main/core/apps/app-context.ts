import { resolve } from 'node:path'
import type { AppSummary } from '../../api/apps'
import type { Changes } from '../changes'
import type { AppInput, EnvVar } from '../deploy/app-spec'
import type { Deployer } from '../deploy/deployer'
import { UserError } from '../errors'
import type { RelayTokens } from '../store/relay-tokens'
import type { ServerRecord } from '../store/server-store'
import type { Target } from '../targets/target'
import type { LocalGate } from '../this-computer'
import { appSecretAccount } from '../vault/accounts'
import type { Vault } from '../vault/vault'
import type { AppRecord, AppStore } from '../store/app-store'

/**
 * What apps need of the servers service: an app's server and the one connection to it. Narrow on
 * purpose, so the apps depend on no more of the servers service than this (and it not on them).
 */
export interface AppServers {
  get(name: string): ServerRecord
  byId(id: string): ServerRecord | null
  targetFor(server: ServerRecord): Target
}

export interface AppsDeps {
  store: AppStore
  servers: AppServers
  vault: Vault
  deployer: Deployer
  changes: Changes
  /** Whether this face may send a folder of this computer. */
  local: LocalGate
  relayTokens: RelayTokens
  /** Helvetia's data folder: a catalogue app's rendered compose file is there (core/catalog/catalog-folder.ts). */
  home: string
}

/** The look-ups every part of the apps service shares: an app by name, its server, its env. */
export function createAppContext(deps: AppsDeps) {
  const { store, servers, vault, changes, local } = deps

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
    const server = servers.byId(app.serverId)
    if (!server) {
      throw new UserError(
        'SERVER_NOT_FOUND',
        `The server of ${app.name} was removed.`,
        'Remove the app, or add the server again.',
      )
    }
    return server
  }

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

  return {
    ...deps,
    get,
    serverOf,
    /** The connection to the app's server. */
    targetOf: (app: AppRecord): Target => servers.targetFor(serverOf(app)),
    fullEnv,
    /** The secret values of the app's env, for masking its logs. */
    secretsOf: async (app: AppRecord): Promise<string[]> =>
      (await fullEnv(app)).filter((v) => v.secret).map((v) => v.value),
    appInput: async (app: AppRecord): Promise<AppInput> => ({
      ...app.spec,
      name: app.name,
      env: await fullEnv(app),
    }),
    /** Every face showing apps refreshes on this. */
    changed: (): void => void changes.emit('apps'),
    summarize: (app: AppRecord): AppSummary => ({
      name: app.name,
      server: servers.byId(app.serverId)?.name ?? '(removed)',
      source: app.source,
      spec: app.spec,
      envPending: app.envPending,
      settingsPending: app.settingsPending,
      createdAt: app.createdAt,
    }),
    /** A folder of this computer, where the face allows it. */
    localFolder: (path: string) => {
      local('folder')
      return { kind: 'folder', path: resolve(path) } as const
    },
  }
}

export type AppContext = ReturnType<typeof createAppContext>

import { randomUUID } from 'node:crypto'
import type { AppStatus, AppSummary, CreateAppInput, DeployKeyInfo, EnvListing } from '../../api/apps'
import { resolve } from 'node:path'
import type { Changes } from '../changes'
import { fieldsAt, UserError } from '../errors'
import { resolveAppSpec, validateAppName, type AppInput, type EnvVar } from '../deploy/app-spec'
import type { Deployer, DeployRunOptions, SourceInput } from '../deploy/deployer'
import { DEFAULT_MASK } from '../logs/secret-masker'
import { DEPLOYMENT_ID } from '../deploy/deploy-request'
import type { AppHistory, Deployment } from '../deploy/deployment-record'
import type { Servers } from '../servers/servers'
import type { KeyPair } from '../ssh/key-pair'
import type { ServerRecord } from '../store/server-store'
import type { LocalGate } from '../this-computer'
import { isSshGitUrl, validateBranch, validateCommit, validateGitUrl } from '../source/git-source'
import { appSecretAccount, deployKeyAccount, webhookSecretAccount } from '../vault/accounts'
import type { Vault } from '../vault/vault'
import type { RelayTokens } from '../push/relay-tokens'
import { applyChanges, assertDomainsFree, type AppChanges } from './app-changes'
import type { AppRecord, AppSource, AppStore, StoredSpec } from './app-store'
import { deployKeyInfo, deployKeyPair, type DeployKeyInput } from './deploy-key'

/**
 * Forgets an app on this computer: its keychain entries (secret env values, deploy key, webhook secret,
 * and its relay's token when no other app or known server needs it), then its record. Nothing on its
 * server changes.
 */
export async function forgetApp(
  deps: { store: AppStore; vault: Vault; relayTokens: RelayTokens },
  app: AppRecord,
): Promise<void> {
  const { store, vault, relayTokens } = deps
  for (const v of store.env(app.id)) {
    if (v.secret) await vault.delete(appSecretAccount(app.id, v.key))
  }
  if (app.source.kind === 'git' && app.source.deployKey) await vault.delete(deployKeyAccount(app.id))
  await vault.delete(webhookSecretAccount(app.id))
  const relays = relayTokens.ofApp(app.id)
  store.remove(app.id)
  await relayTokens.forgetUnused(vault, relays)
}

export type { AppStatus, AppSummary, CreateAppInput, EnvListing } from '../../api/apps'

/** The deploy key as the app's source keeps it. */
type StoredDeployKey = { publicKey: string; githubKeyId?: number }

/** Where `apps:create`'s input holds a value that the spec's and the source's rules name otherwise. */
const CREATE_FIELDS: Record<string, string> = {
  'health.path': 'healthPath',
  'resources.memory': 'memory',
  'resources.cpus': 'cpus',
  url: 'source.url',
  branch: 'source.branch',
}
export const createField = (field: string): string => CREATE_FIELDS[field] ?? field

/** The comment of a deploy key Helvetia generates for an app. */
export const deployKeyComment = (name: string) => `helvetia-deploy-${validateAppName(name)}`

export function createApps(deps: {
  store: AppStore
  servers: Servers
  vault: Vault
  deployer: Deployer
  changes: Changes
  /** Whether this face may send a folder of this computer. */
  local: LocalGate
  relayTokens: RelayTokens
}) {
  const { store, servers, vault, deployer, changes, local } = deps
  /** Every face showing apps refreshes on this. */
  const changed = (): void => void changes.emit('apps')

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
    settingsPending: app.settingsPending,
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

  /** A folder of this computer, where the face allows it. */
  const localFolder = (path: string) => {
    local('folder')
    return { kind: 'folder', path: resolve(path) } as const
  }

  /** The source as stored: a folder made absolute, a git URL and branch checked. */
  const storedSource = (source: AppSource, deployKey?: StoredDeployKey): AppSource =>
    source.kind === 'folder'
      ? localFolder(source.path)
      : {
          kind: 'git',
          url: validateGitUrl(source.url),
          ...(source.branch !== undefined ? { branch: validateBranch(source.branch) } : {}),
          ...(deployKey ? { deployKey } : {}),
        }

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
    if (options.path !== undefined) return localFolder(options.path)
    if (app.source.kind === 'folder') return localFolder(app.source.path)
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

  const insert = (input: CreateAppInput, deployKey?: StoredDeployKey): AppRecord =>
    fieldsAt(() => insertChecked(input, deployKey), createField)
  const insertChecked = (input: CreateAppInput, deployKey?: StoredDeployKey): AppRecord => {
    const name = validateAppName(input.name)
    const server = servers.get(input.server)
    const source = storedSource(input.source, deployKey)
    if (store.get(name)) {
      throw new UserError('APP_EXISTS', `An app named "${name}" already exists.`, 'Pick another name.', {
        field: 'name',
      })
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
    assertDomainsFree(store.list(), { name, serverId: server.id }, resolveAppSpec({ ...spec, name }).domains)
    const record: AppRecord = {
      id: randomUUID(),
      name,
      serverId: server.id,
      spec,
      source,
      envPending: false,
      settingsPending: false,
      createdAt: new Date().toISOString(),
    }
    store.insert(record)
    changed()
    return record
  }

  /** What a deploy applies: the deploy key is not among it (a new one takes effect at once). */
  const settingsOf = (app: AppRecord): string =>
    JSON.stringify([app.spec, { ...app.source, deployKey: undefined }])

  const deployKeyOf = (app: AppRecord): StoredDeployKey => {
    if (app.source.kind === 'git' && app.source.deployKey) return app.source.deployKey
    throw new UserError(
      'DEPLOY_KEY_NONE',
      `${app.name} has no deploy key.`,
      'Deploy keys belong to apps of a private repository over SSH (`helvetia app create NAME --git git@… --generate-deploy-key`).',
    )
  }

  /**
   * A successful deploy or rollback carries the current env and the settings `app` had when it started:
   * those are no longer pending (settings changed while it ran still are).
   */
  const settle = (app: AppRecord, deployment: Deployment): Deployment => {
    const now = store.get(app.name)
    if (deployment.status === 'succeeded' && now?.id === app.id) {
      store.clearPending(app.id, { env: true, settings: settingsOf(now) === settingsOf(app) })
    }
    changed()
    return deployment
  }

  return {
    list: (): AppSummary[] => store.list().map(summarize),

    /** The stored app named `name`, or APP_NOT_FOUND. */
    record: get,

    create: (input: CreateAppInput): AppSummary => summarize(insert(input)),

    /**
     * `create` for a private repository reached over SSH: its deploy key (given, or a new ed25519 one)
     * goes into the keychain, its public half into the app's source, for the repository's deploy keys.
     * `githubKeyId`: the key's id on GitHub, when Helvetia added it there.
     */
    async createWithDeployKey(
      input: CreateAppInput,
      key: DeployKeyInput,
      githubKeyId?: number,
    ): Promise<AppSummary> {
      if (input.source.kind !== 'git' || !isSshGitUrl(validateGitUrl(input.source.url))) {
        throw new UserError(
          'DEPLOY_KEY_NEEDS_SSH',
          'A deploy key is used over SSH only.',
          'Give the SSH URL of the repository (git@github.com:owner/repo.git), or leave the key out for a public one.',
        )
      }
      const pair = deployKeyPair(key, deployKeyComment(input.name))
      const record = insert(input, {
        publicKey: pair.publicKey,
        ...(githubKeyId !== undefined ? { githubKeyId } : {}),
      })
      try {
        await vault.set(deployKeyAccount(record.id), pair.privateKey)
      } catch (error) {
        store.remove(record.id)
        changed()
        throw error
      }
      return summarize(record)
    },

    /** A git app's deploy key: its public half, its fingerprint, whether Helvetia added it on GitHub. */
    deployKey: (name: string): DeployKeyInfo => deployKeyInfo(deployKeyOf(get(name))),

    /**
     * Makes `pair` the app's deploy key: its private half replaces the old one in the keychain, then its
     * public half (and `githubKeyId`) the old one in the store. Should the store refuse, the old private
     * half goes back, so the app is left with one consistent key either way. Resolves the replaced key.
     */
    async replaceDeployKey(name: string, pair: KeyPair, githubKeyId?: number): Promise<DeployKeyInfo> {
      const app = get(name)
      const previous = deployKeyOf(app)
      const source = app.source as Extract<AppSource, { kind: 'git' }>
      const account = deployKeyAccount(app.id)
      const oldPrivate = await vault.get(account)
      await vault.set(account, pair.privateKey)
      try {
        store.setSource(app.id, {
          ...source,
          deployKey: { publicKey: pair.publicKey, ...(githubKeyId !== undefined ? { githubKeyId } : {}) },
        })
      } catch (error) {
        await (oldPrivate === null ? vault.delete(account) : vault.set(account, oldPrivate))
        throw error
      }
      changed()
      return deployKeyInfo(previous)
    },

    /**
     * Changes the app's settings (and a git app's branch), validated as a whole with the rules of create,
     * all or nothing. They are pending until the next deploy; a change to what is stored already is none.
     */
    update(name: string, changes: AppChanges): AppSummary {
      const app = get(name)
      const { next, spec } = fieldsAt(
        () => {
          const next = applyChanges(app, changes)
          const spec = resolveAppSpec({ ...next.spec, name: app.name })
          assertDomainsFree(store.list(), app, spec.domains)
          return { next, spec }
        },
        (field) => `changes.${field}`,
      )
      const same =
        JSON.stringify(spec) === JSON.stringify(resolveAppSpec({ ...app.spec, name: app.name })) &&
        JSON.stringify(next.source) === JSON.stringify(app.source)
      if (same) return summarize(app)
      store.update(app.id, next.spec, next.source)
      changed()
      return summarize(get(name))
    },

    /** Removes the app from its server (route, containers, images, history), the keychain and the store. */
    async remove(name: string, signal?: AbortSignal): Promise<void> {
      const app = get(name)
      const server = serverOf(app)
      await deployer.remove(servers.targetFor(server), app.name, signal)
      await forgetApp(deps, app)
      changed()
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
      changed()
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
      changed()
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

    /**
     * Sends the app's folder (or `path`), or has the server fetch its repository at `commit` (default:
     * its branch's head), deploys it and follows it until it is live or has failed.
     */
    async deploy(
      name: string,
      options: DeployRunOptions & { path?: string; commit?: string; trigger?: string } = {},
    ) {
      const app = get(name)
      const server = serverOf(app)
      const deployment = await deployer.deploy(
        servers.targetFor(server),
        {
          app: await appInput(app),
          source: await deploySource(app, options),
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

    /** Attaches to a deployment's log from its start; a running one is followed to its end. */
    async followDeployment(name: string, id: string, options: DeployRunOptions = {}): Promise<Deployment> {
      const app = get(name)
      if (!DEPLOYMENT_ID.test(id)) {
        throw new UserError(
          'INVALID_OPTION',
          `Invalid deployment id: ${JSON.stringify(id)}`,
          'See `helvetia deployments`.',
        )
      }
      const secrets = (await fullEnv(app)).filter((v) => v.secret).map((v) => v.value)
      return deployer.follow(servers.targetFor(serverOf(app)), app.name, id, { ...options, secrets })
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

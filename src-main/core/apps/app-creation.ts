import { randomUUID } from 'node:crypto'
import type { AppSummary, CreateAppInput } from '../../api/apps'
import { resolveAppSpec, validateAppName } from '../deploy/app-spec'
import { fieldsAt, UserError } from '../errors'
import { validateImageRef } from '../images/image-ref'
import { isSshGitUrl, validateBranch, validateGitUrl } from '../source/git-source'
import { deployKeyAccount } from '../vault/accounts'
import { assertDomainsFree } from './app-changes'
import type { AppContext } from './app-context'
import type { AppRecord, AppSource, StoredSpec } from '../store/app-store'
import { deployKeyPair, type DeployKeyInput, type StoredDeployKey } from './deploy-key'
import { composeDomains } from '../stacks/compose-settings'
import { composeSettingsAtCreate } from '../stacks/stack-create'

/** Where `apps:create`'s input holds a value that the spec's and the source's rules name otherwise. */
const CREATE_FIELDS: Record<string, string> = {
  'health.path': 'healthPath',
  'resources.memory': 'memory',
  'resources.cpus': 'cpus',
  'build.builder': 'builder',
  url: 'source.url',
  branch: 'source.branch',
}
const createField = (field: string): string => CREATE_FIELDS[field] ?? field

/** The comment of a deploy key Helvetia generates for an app. */
export const deployKeyComment = (name: string) => `helvetia-deploy-${validateAppName(name)}`

/** The settings as stored: only those given. */
const storedSpec = (input: CreateAppInput): StoredSpec => ({
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
  ...(input.builder !== undefined ? { build: { builder: input.builder } } : {}),
})

/** Creating an app: checked as a deploy would check it, stored, nothing sent to its server yet. */
export function createAppCreation(ctx: AppContext) {
  const { store, servers, vault } = ctx

  /** The source as stored: a folder made absolute, a git URL and branch checked. */
  const storedSource = (source: CreateAppInput['source'], deployKey?: StoredDeployKey): AppSource => {
    if (source.kind === 'folder') return ctx.localFolder(source.path)
    if (source.kind === 'git') {
      return {
        kind: 'git',
        url: validateGitUrl(source.url),
        ...(source.branch !== undefined ? { branch: validateBranch(source.branch) } : {}),
        ...(deployKey ? { deployKey } : {}),
      }
    }
    if (source.kind === 'image') return { kind: 'image', ref: validateImageRef(source.ref, 'source.ref') }
    // A catalogue app is rendered and installed by core/catalog/catalog-install.ts, which gives the version.
    if (source.kind === 'catalog' && source.version !== undefined) {
      return { kind: 'catalog', template: source.template, version: source.version }
    }
    // Only the catalogue's own install comes here with a catalogue source, and it names the version.
    throw new UserError(
      'INVALID_OPTION',
      `The catalogue source ${source.template} has no template version.`,
      'Install it with `helvetia app create NAME --from-catalog TEMPLATE`, which picks the newest version.',
      { field: 'source.version' },
    )
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
    const compose = input.compose ? composeSettingsAtCreate(input.compose, source) : undefined
    const spec = { ...storedSpec(input), ...(compose ? { compose } : {}) }
    const resolved = resolveAppSpec({ ...spec, name })
    assertDomainsFree(
      store.list(),
      { name, serverId: server.id },
      resolved.compose ? composeDomains(resolved.compose) : resolved.domains,
    )
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
    ctx.changed()
    return record
  }

  return {
    create: (input: CreateAppInput): AppSummary => ctx.summarize(insert(input)),

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
        ctx.changed()
        throw error
      }
      return ctx.summarize(record)
    },
  }
}

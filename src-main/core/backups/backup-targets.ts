import type { AddBackupTargetInput, BackupTarget } from '../../api/backups'
import { UserError } from '../errors'
import type { ScriptRunner } from '../remote/script-runner'
import { PATTERNS, whole } from '../rules/patterns'
import type { ServerRecord } from '../store/server-store'
import type { BackupTargetStore } from '../store/backup-target-store'
import type { Target } from '../targets/target'
import { backupTargetAccount } from '../vault/accounts'
import type { Vault } from '../vault/vault'
import { targetSettings } from './target-settings'

export interface BackupTargetsDeps {
  store: BackupTargetStore
  vault: Vault
  scripts: ScriptRunner
  prefix?: string
  /** The uploader's image written into each target's settings on a server (default rclone's own). */
  uploaderImage: string
  /** The server with this id (null once removed), and the connection to it. */
  serverById(id: string): ServerRecord | null
  targetFor(server: ServerRecord): Target
}

const NAME = whole(PATTERNS.app)
const BUCKET = whole(PATTERNS.bucket)
const OBJECT_PREFIX = whole(PATTERNS.objectPrefix)
const REGION = /^[a-z0-9-]{1,40}$/
/** Printable, one line: each value becomes a line of an env file on the server. */
const ONE_LINE = /^[\x21-\x7e]{1,256}$/

function invalid(field: string, message: string, hint: string): UserError {
  return new UserError('INVALID_OPTION', message, hint, { field })
}

/** The input checked and normalised (a prefix without its outer slashes). */
export function parseTarget(input: AddBackupTargetInput): Omit<BackupTarget, 'servers' | 'createdAt'> {
  if (!NAME.test(input.name)) {
    throw invalid(
      'name',
      `Invalid target name: "${input.name}"`,
      'Use lowercase letters, digits and dashes (at most 40).',
    )
  }
  let endpoint: URL
  try {
    endpoint = new URL(input.endpoint)
  } catch {
    throw invalid(
      'endpoint',
      `Not a URL: "${input.endpoint}"`,
      'Give the S3 endpoint as https://host[:port].',
    )
  }
  if (
    !/^https?:$/.test(endpoint.protocol) ||
    endpoint.username ||
    endpoint.password ||
    !ONE_LINE.test(input.endpoint)
  ) {
    throw invalid(
      'endpoint',
      `Not an S3 endpoint: "${input.endpoint}"`,
      'Give it as https://host[:port], without credentials.',
    )
  }
  if (!BUCKET.test(input.bucket)) {
    throw invalid(
      'bucket',
      `Invalid bucket name: "${input.bucket}"`,
      'Bucket names are 3 to 63 lowercase letters, digits, dots and dashes.',
    )
  }
  const prefix = input.prefix?.replace(/^\/+|\/+$/g, '') || null
  if (
    prefix !== null &&
    (!OBJECT_PREFIX.test(prefix) || prefix.split('/').some((part) => /^\.\.?$/.test(part)))
  ) {
    throw invalid(
      'prefix',
      `Invalid prefix: "${input.prefix}"`,
      'Use folders of letters, digits, dots, dashes and underscores, separated by /.',
    )
  }
  if (input.region !== undefined && !REGION.test(input.region)) {
    throw invalid(
      'region',
      `Invalid region: "${input.region}"`,
      'Give it as the storage names it, e.g. eu-central-1.',
    )
  }
  if (!ONE_LINE.test(input.accessKeyId)) {
    throw invalid(
      'accessKeyId',
      'Invalid access key id',
      'Give the key id as the storage shows it (printable characters, no spaces).',
    )
  }
  if (!ONE_LINE.test(input.secretAccessKey)) {
    throw invalid(
      'secretAccessKey',
      'Invalid secret access key',
      'Give the secret key as the storage shows it, on one line.',
    )
  }
  return {
    name: input.name,
    endpoint: input.endpoint,
    bucket: input.bucket,
    region: input.region ?? null,
    prefix,
    accessKeyId: input.accessKeyId,
  }
}

/**
 * S3-compatible buckets that backups go to. The non-secret settings are in the store, the secret key
 * in the keychain; a server gets a 0600 settings file of a target when a database there first uses it
 * (backup-target.sh), and loses it when the target is removed.
 */
export function createBackupTargets(deps: BackupTargetsDeps) {
  const { store, vault, scripts } = deps
  const prefix = deps.prefix ?? 'helvetia'

  const get = (name: string): BackupTarget => {
    const target = store.get(name)
    if (!target) {
      throw new UserError(
        'BACKUP_TARGET_NOT_FOUND',
        `No backup target named "${name}".`,
        'Run `helvetia backup target list`.',
      )
    }
    return target
  }
  /** Server ids as names, for the faces (a removed server is left out). */
  const named = (target: BackupTarget): BackupTarget => ({
    ...target,
    servers: target.servers.flatMap((id) => deps.serverById(id)?.name ?? []),
  })

  return {
    get,
    /** Whether this computer holds the target (its settings and secret). */
    knows: (name: string): boolean => Boolean(store.get(name)),
    list: (): BackupTarget[] => store.list().map(named),

    async add(input: AddBackupTargetInput): Promise<BackupTarget> {
      const parsed = parseTarget(input)
      if (store.get(parsed.name)) {
        throw new UserError(
          'BACKUP_TARGET_EXISTS',
          `A backup target named "${parsed.name}" already exists.`,
          'Pick another name, or remove it first.',
        )
      }
      await vault.set(backupTargetAccount(parsed.name), input.secretAccessKey)
      store.insert({ ...parsed, createdAt: new Date().toISOString() })
      return named(get(parsed.name))
    },

    /** Writes the target's settings file on `server` (again, with `force`) unless it holds it already. */
    async installOn(name: string, server: ServerRecord, options: { force?: boolean } = {}): Promise<void> {
      const target = get(name)
      if (target.servers.includes(server.id) && !options.force) return
      const secret = await vault.get(backupTargetAccount(name))
      if (secret === null) {
        throw new UserError(
          'SECRET_MISSING',
          `The secret key of backup target "${name}" is not in this keychain.`,
          'Remove the target and add it again with its secret key.',
        )
      }
      await scripts.call(
        deps.targetFor(server),
        'backup-target.install',
        { prefix, target: name, action: 'install' },
        { stdin: targetSettings(target, secret, deps.uploaderImage) },
      )
      store.addServer(name, server.id)
    },

    /** Deletes the settings file on each server that holds one, then the keychain entry and the target. */
    async remove(name: string): Promise<{ unreachable: string[] }> {
      const target = get(name)
      const unreachable: string[] = []
      for (const id of target.servers) {
        const server = deps.serverById(id)
        if (!server) continue
        try {
          await scripts.call(deps.targetFor(server), 'backup-target.install', {
            prefix,
            target: name,
            action: 'remove',
          })
        } catch {
          unreachable.push(server.name)
        }
      }
      await vault.delete(backupTargetAccount(name))
      store.remove(name)
      return { unreachable }
    },
  }
}

export type BackupTargets = ReturnType<typeof createBackupTargets>

import { APP_NAME } from '../../api/apps'
import type { CreateDatabaseInput, DatabaseEngine } from '../../api/databases'
import { invalidOption, UserError } from '../errors'
import { PATTERNS, whole } from '../rules/patterns'
import { ENGINES, isEngine, VERSION_PATTERN } from './engines'

/** What `db create` asked for, checked: the image reference is whole (`image:version`). */
export interface DatabaseSpec {
  name: string
  engine: DatabaseEngine
  version: string
  image: string
  memory?: string
  cpus?: number
}

const VERSION = whole(VERSION_PATTERN)
const IMAGE = whole(PATTERNS.image)
const MEMORY = whole(PATTERNS.memory)
const CPUS = whole(PATTERNS.cpus)

/** A database's name: the rule of an app's (a DNS label of at most 40 characters). */
export function validateDatabaseName(value: unknown, field = 'name'): string {
  if (typeof value !== 'string' || !APP_NAME.test(value)) {
    throw invalidOption(
      'database name',
      value,
      'lowercase letters, digits and dashes (a DNS label of at most 40 characters)',
      field,
    )
  }
  return value
}

/** An image's tag, when its reference has one (`registry:5000/pg:15` → `15`; `registry:5000/pg` → null). */
const tagOf = (image: string): string | null => /:([^/:@]+)(?:@.*)?$/.exec(image)?.[1] ?? null

/**
 * Checks `db create`'s input, each fault naming its field. The version is `--version`, else the tag of
 * `--image`, else the engine's pinned one; the image is `--image` (tagged with the version when it has
 * no tag) or the engine's official one at that version.
 */
export function resolveDatabaseSpec(input: CreateDatabaseInput): DatabaseSpec {
  const name = validateDatabaseName(input.name)
  if (!isEngine(input.engine)) {
    throw invalidOption('engine', input.engine, Object.keys(ENGINES).join(', '), 'engine')
  }
  const engine = input.engine
  if (input.version !== undefined && !VERSION.test(input.version)) {
    throw invalidOption('version', input.version, 'an image tag such as 16 or 8.4', 'version')
  }
  if (input.image !== undefined && (input.image.length > 255 || !IMAGE.test(input.image))) {
    throw invalidOption('image', input.image, 'an image reference such as postgres:16', 'image')
  }
  const tag = input.image === undefined ? null : tagOf(input.image)
  if (tag !== null && input.version !== undefined && tag !== input.version) {
    throw new UserError(
      'INVALID_OPTION',
      `The version ${input.version} differs from the image's tag ${tag}.`,
      'Give the version as the image’s tag, or leave --version out.',
      { field: 'version' },
    )
  }
  const version = input.version ?? tag ?? ENGINES[engine].version
  // An untagged image gets the version as its tag (before a digest, if it has one).
  const image =
    input.image === undefined
      ? `${ENGINES[engine].image}:${version}`
      : tag === null
        ? input.image.replace(/(@.*)?$/, `:${version}$1`)
        : input.image
  if (input.memory !== undefined && !MEMORY.test(input.memory)) {
    throw invalidOption('memory limit', input.memory, 'a size such as 512m or 1g', 'memory')
  }
  if (input.cpus !== undefined && !(input.cpus > 0 && CPUS.test(String(input.cpus)))) {
    throw invalidOption('CPU limit', input.cpus, 'a number of CPUs such as 0.5 or 2', 'cpus')
  }
  return {
    name,
    engine,
    version,
    image,
    ...(input.memory !== undefined ? { memory: input.memory } : {}),
    ...(input.cpus !== undefined ? { cpus: input.cpus } : {}),
  }
}

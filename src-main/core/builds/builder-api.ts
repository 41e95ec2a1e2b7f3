/**
 * A server's isolated builder (`builds:builder`, `helvetia server builder`): its settings live on the
 * server, in ~/.PREFIX/builder.conf, written and read by remote-scripts/builder-config.sh; deploys read
 * them there (remote-scripts/lib/build-settings.sh), so the server is the record.
 */
import type { ApiHandlers } from '../../api/contract'
import type { BuilderSettings } from '../../api/builds'
import { invalidOption } from '../errors'
import type { ScriptRunner } from '../remote/script-runner'
import { PATTERNS, whole } from '../rules/patterns'
import type { createServers } from '../servers/servers'

export interface BuilderDeps {
  servers: Pick<ReturnType<typeof createServers>, 'get' | 'targetFor'>
  scripts: ScriptRunner
  prefix?: string
}

const IMAGE = whole(PATTERNS.image)
const SIZE = whole(PATTERNS.memory)
const CPUS = whole(PATTERNS.cpus)
const ACTIONS = ['show', 'set', 'off'] as const
const DRIVERS = ['overlay', 'vfs'] as const

type BuilderInput = Parameters<ApiHandlers['builds:builder']>[0]

/** The input checked, each fault named by its field. */
export function checkBuilderInput(input: BuilderInput): void {
  const { action = 'show', image, driver, cache, disk, cpus, memory } = input
  if (!ACTIONS.includes(action)) throw invalidOption('action', action, 'show, set or off', 'action')
  if (action !== 'set' && [image, driver, cache, disk, cpus, memory].some((v) => v !== undefined))
    throw invalidOption('action', action, 'set, to change a setting', 'action')
  if (image !== undefined && !IMAGE.test(image))
    throw invalidOption(
      'builder image',
      image,
      'an image reference such as quay.io/buildah/stable:v1.37',
      'image',
    )
  if (driver !== undefined && !DRIVERS.includes(driver))
    throw invalidOption('storage driver', driver, 'overlay or vfs', 'driver')
  for (const [field, value] of [
    ['cache', cache],
    ['disk', disk],
    ['memory', memory],
  ] as const) {
    if (value !== undefined && !SIZE.test(value))
      throw invalidOption(field, value, 'a size such as 5g or 512m', field)
  }
  if (cpus !== undefined && (!CPUS.test(String(cpus)) || cpus <= 0))
    throw invalidOption('CPUs', cpus, 'a number of CPUs such as 1 or 1.5', 'cpus')
}

export function builderApi({ servers, scripts, prefix = 'helvetia' }: BuilderDeps) {
  return {
    'builds:builder': async (input): Promise<BuilderSettings> => {
      checkBuilderInput(input)
      const { server: name, action = 'show', ...settings } = input
      const server = servers.get(name)
      const { facts, changed } = await scripts.call(servers.targetFor(server), 'server.builder', {
        prefix,
        action,
        ...settings,
      })
      const fact = (key: string): string | null => facts[key] || null
      const cpus = fact('cpus')
      return {
        server: server.name,
        image: fact('image'),
        version: fact('version'),
        driver: fact('driver'),
        cache: fact('cache'),
        disk: fact('disk'),
        cpus: cpus === null ? null : Number(cpus),
        memory: fact('memory'),
        changed,
      }
    },
  } satisfies Partial<ApiHandlers>
}

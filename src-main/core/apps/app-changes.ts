import type { AppChanges } from '../../api/apps'
import { parseDomain } from '../deploy/app-spec'
import { UserError } from '../errors'
import { validateBranch } from '../source/git-source'
import type { AppRecord, AppSource, StoredSpec } from '../store/app-store'

export type { AppChanges, UpdateAppInput } from '../../api/apps'

type Resources = NonNullable<StoredSpec['resources']>

/**
 * The app's stored settings and source with `changes` applied, as the user wrote them (validation is
 * the caller's, on the result, with the rules of create).
 */
export function applyChanges(
  app: Pick<AppRecord, 'spec' | 'source'>,
  changes: AppChanges,
): { spec: StoredSpec; source: AppSource } {
  const spec: StoredSpec = structuredClone(app.spec)
  if (changes.port !== undefined) spec.port = changes.port
  if (changes.domains !== undefined) {
    if (changes.domains.length > 0) spec.domains = [...changes.domains]
    else delete spec.domains
  }
  if (changes.health !== undefined) spec.health = { ...spec.health, ...changes.health }
  if (changes.resources !== undefined) {
    const resources: Resources = { ...spec.resources }
    const set = <K extends keyof Resources>(key: K, value: Resources[K] | null | undefined) => {
      if (value === null) delete resources[key]
      else if (value !== undefined) resources[key] = value
    }
    set('memory', changes.resources.memory)
    set('cpus', changes.resources.cpus)
    set('pids', changes.resources.pids)
    if (Object.keys(resources).length > 0) spec.resources = resources
    else delete spec.resources
  }
  if (changes.restart !== undefined) spec.restart = changes.restart
  if (changes.keepImages !== undefined) spec.keepImages = changes.keepImages
  if (changes.drainS !== undefined) spec.drainS = changes.drainS
  if (changes.volumes !== undefined) {
    if (changes.volumes.length > 0) spec.volumes = changes.volumes.map((v) => ({ ...v }))
    else delete spec.volumes
  }
  if (changes.releaseCommand !== undefined) {
    if (changes.releaseCommand === null || changes.releaseCommand.trim() === '') delete spec.releaseCommand
    else spec.releaseCommand = changes.releaseCommand
  }
  if (changes.processes !== undefined) {
    if (changes.processes.length > 0) spec.processes = changes.processes.map((p) => ({ ...p }))
    else delete spec.processes
  }
  return { spec, source: changedSource(app.source, changes.branch) }
}

function changedSource(source: AppSource, branch: string | null | undefined): AppSource {
  if (branch === undefined) return source
  if (source.kind !== 'git') {
    throw new UserError(
      'INVALID_OPTION',
      'A branch applies to an app deployed from a git repository.',
      'Leave the branch out: this app is deployed from a folder.',
      { field: 'branch' },
    )
  }
  const rest = { ...source }
  delete rest.branch
  return branch === null ? rest : { ...rest, branch: validateBranch(branch) }
}

/**
 * Refuses `domains` (validated) when another app on the same server serves one of their hosts: the
 * proxy would route the host to whichever app it read last. The error's field is the domain's place
 * in `domains`.
 */
export function assertDomainsFree(
  apps: readonly AppRecord[],
  app: { name: string; serverId: string },
  domains: readonly string[],
): void {
  const wanted = domains.map((domain) => parseDomain(domain).host)
  for (const other of apps) {
    if (other.serverId !== app.serverId || other.name === app.name) continue
    const theirs = [
      ...(other.spec.domains ?? []),
      ...(other.spec.compose?.routes.flatMap((r) => r.domains) ?? []),
    ]
    const taken = new Set(theirs.map((domain) => parseDomain(domain).host))
    const index = wanted.findIndex((host) => taken.has(host))
    if (index >= 0) {
      const host = wanted[index]
      throw new UserError(
        'DOMAIN_IN_USE',
        `The domain "${host}" is already used by ${other.name} on this server.`,
        `Choose another domain, or remove it from ${other.name} first (\`helvetia app update ${other.name} --remove-domain ${host}\`).`,
        { field: `domains.${index}` },
      )
    }
  }
}

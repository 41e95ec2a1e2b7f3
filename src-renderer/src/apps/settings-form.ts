/** The Settings form: an app's settings as typed, their checks, and the changes they make for `apps:update`. */
import { APP_DEFAULTS, type AppChanges, type AppSummary } from '../../../src-main/api/apps'
import type { BuilderChoice } from '../../../src-main/api/builds'
import { portError } from '../ui/forms'
import type { Failure } from '../ui/task'

export interface SettingsForm {
  /** One row each, as written; empty rows are left out. */
  domains: string[]
  port: string
  healthKind: 'http' | 'image'
  healthPath: string
  intervalS: string
  timeoutS: string
  retries: string
  startPeriodS: string
  memory: string
  cpus: string
  pids: string
  restart: string
  keepImages: string
  drainS: string
  branch: string
  /** One row each (a volume name or a host folder, and where it is mounted); empty rows are left out. */
  volumes: { source: string; path: string }[]
  releaseCommand: string
  /** Which builder builds the image (api/builds.ts). */
  builder: BuilderChoice
}

/** A field, one domain row (`domain-0`, …), or one half of a volume row (`volume-0-source`, …). */
export type SettingsField =
  | Exclude<keyof SettingsForm, 'domains' | 'volumes'>
  | `domain-${number}`
  | `volume-${number}-${'source' | 'path'}`

/** The form as the app is set now; a setting left to its default shows the default. */
export function formOf(app: AppSummary): SettingsForm {
  const { spec } = app
  const health = { ...APP_DEFAULTS.health, ...spec.health }
  const text = (value: number | string | undefined) => (value === undefined ? '' : String(value))
  return {
    domains: [...(spec.domains ?? [])],
    port: text(spec.port ?? APP_DEFAULTS.port),
    healthKind: health.kind ?? 'http',
    healthPath: health.path,
    intervalS: text(health.intervalS),
    timeoutS: text(health.timeoutS),
    retries: text(health.retries),
    startPeriodS: text(health.startPeriodS),
    memory: text(spec.resources?.memory),
    cpus: text(spec.resources?.cpus),
    pids: text(spec.resources?.pids),
    restart: spec.restart ?? APP_DEFAULTS.restart,
    keepImages: text(spec.keepImages ?? APP_DEFAULTS.keepImages),
    drainS: text(spec.drainS ?? APP_DEFAULTS.drainS),
    branch: app.source.kind === 'git' ? (app.source.branch ?? '') : '',
    volumes: (spec.volumes ?? []).map((v) => ({ ...v })),
    releaseCommand: spec.releaseCommand ?? '',
    builder: spec.build?.builder ?? 'auto',
  }
}

const volumeList = (form: SettingsForm) =>
  form.volumes
    .map((v) => ({ source: v.source.trim(), path: v.path.trim() }))
    .filter((v) => v.source !== '' || v.path !== '')

const domainList = (form: SettingsForm): string[] => form.domains.map((d) => d.trim()).filter(Boolean)

const WHOLE = /^\s*\d+\s*$/

/** What the form can tell before asking the core (which checks every value again, with its ranges). */
export function formErrors(form: SettingsForm): Partial<Record<SettingsField, string>> {
  const whole = (value: string) => (WHOLE.test(value) ? undefined : 'Enter a whole number.')
  const cpus = form.cpus.trim()
  const errors: Partial<Record<SettingsField, string>> = {
    port: portError(form.port),
    healthPath:
      form.healthKind === 'image' || form.healthPath.trim().startsWith('/')
        ? undefined
        : 'Start the path with /, like /health.',
    intervalS: whole(form.intervalS),
    timeoutS: whole(form.timeoutS),
    retries: whole(form.retries),
    startPeriodS: whole(form.startPeriodS),
    cpus:
      cpus === '' || Number(cpus) > 0 ? undefined : 'Enter a number of CPUs such as 0.5 or 2, or nothing.',
    pids: form.pids.trim() === '' ? undefined : whole(form.pids),
    keepImages: whole(form.keepImages),
    drainS: whole(form.drainS),
  }
  return Object.fromEntries(Object.entries(errors).filter(([, error]) => error))
}

/** What differs from `initial`, as `apps:update` takes it: an emptied limit or branch is cleared. */
export function changesOf(initial: SettingsForm, form: SettingsForm): AppChanges {
  const changed = (key: keyof SettingsForm) => JSON.stringify(initial[key]) !== JSON.stringify(form[key])
  const number = (value: string) => Number(value.trim())
  const limit = (value: string) => (value.trim() === '' ? null : number(value))
  const health = {
    ...(changed('healthKind') ? { kind: form.healthKind } : {}),
    ...(changed('healthPath') && form.healthKind === 'http' ? { path: form.healthPath.trim() } : {}),
    ...(changed('intervalS') ? { intervalS: number(form.intervalS) } : {}),
    ...(changed('timeoutS') ? { timeoutS: number(form.timeoutS) } : {}),
    ...(changed('retries') ? { retries: number(form.retries) } : {}),
    ...(changed('startPeriodS') ? { startPeriodS: number(form.startPeriodS) } : {}),
  }
  const resources = {
    ...(changed('memory') ? { memory: form.memory.trim() || null } : {}),
    ...(changed('cpus') ? { cpus: limit(form.cpus) } : {}),
    ...(changed('pids') ? { pids: limit(form.pids) } : {}),
  }
  const domains = domainList(form)
  return {
    ...(JSON.stringify(domains) !== JSON.stringify(domainList(initial)) ? { domains } : {}),
    ...(changed('port') ? { port: number(form.port) } : {}),
    ...(Object.keys(health).length > 0 ? { health } : {}),
    ...(Object.keys(resources).length > 0 ? { resources } : {}),
    ...(changed('restart') ? { restart: form.restart as AppChanges['restart'] } : {}),
    ...(changed('keepImages') ? { keepImages: number(form.keepImages) } : {}),
    ...(changed('drainS') ? { drainS: number(form.drainS) } : {}),
    ...(changed('branch') ? { branch: form.branch.trim() || null } : {}),
    ...(JSON.stringify(volumeList(form)) !== JSON.stringify(volumeList(initial))
      ? { volumes: volumeList(form) }
      : {}),
    ...(changed('releaseCommand') ? { releaseCommand: form.releaseCommand.trim() || null } : {}),
    ...(changed('builder') ? { builder: form.builder } : {}),
  }
}

/** The form's field for each field of `apps:update`'s changes that an error may name. */
const FORM_FIELDS: Record<string, SettingsField> = {
  port: 'port',
  'health.kind': 'healthKind',
  'health.path': 'healthPath',
  'health.intervalS': 'intervalS',
  'health.timeoutS': 'timeoutS',
  'health.retries': 'retries',
  'health.startPeriodS': 'startPeriodS',
  'resources.memory': 'memory',
  'resources.cpus': 'cpus',
  'resources.pids': 'pids',
  restart: 'restart',
  keepImages: 'keepImages',
  drainS: 'drainS',
  branch: 'branch',
  releaseCommand: 'releaseCommand',
  builder: 'builder',
}

/**
 * The field a failure from the core belongs beside, by the error's `field`, or null for the form as a
 * whole. `changes.domains.N` is the Nth domain sent: the Nth row that is not empty.
 */
export function fieldOf(failure: Failure, form: SettingsForm): SettingsField | null {
  const field = failure.field?.replace(/^changes\./, '')
  if (field === undefined) return null
  const domain = /^domains\.(\d+)$/.exec(field)
  if (domain) {
    const rows = form.domains.flatMap((d, row) => (d.trim() ? [row] : []))
    const row = rows[Number(domain[1])]
    return row === undefined ? null : `domain-${row}`
  }
  const volume = /^volumes\.(\d+)\.(source|path)$/.exec(field)
  if (volume) {
    const rows = form.volumes.flatMap((v, row) => (v.source.trim() || v.path.trim() ? [row] : []))
    const row = rows[Number(volume[1])]
    return row === undefined ? null : `volume-${row}-${volume[2] as 'source' | 'path'}`
  }
  return FORM_FIELDS[field] ?? null
}

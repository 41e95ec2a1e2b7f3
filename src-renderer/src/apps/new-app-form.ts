/** The New app form: its fields as typed, their checks, and the create input they make. */
import type { CreateAppInput } from '../../../src-main/api/contract'
import { portError } from '../ui/forms'
import type { Failure } from '../ui/task'
import { appNameError } from './app-format'

export interface NewAppForm {
  name: string
  server: string
  sourceKind: 'folder' | 'git'
  path: string
  gitUrl: string
  branch: string
  port: string
  domains: string
  healthPath: string
  memory: string
  cpus: string
}

export type FormField = keyof NewAppForm

export const emptyForm = (server: string): NewAppForm => ({
  name: '',
  server,
  sourceKind: 'folder',
  path: '',
  gitUrl: '',
  branch: '',
  port: '',
  domains: '',
  healthPath: '',
  memory: '',
  cpus: '',
})

/** What the form can tell before asking the core; the core checks everything again. */
export function formErrors(form: NewAppForm): Partial<Record<FormField, string>> {
  const cpus = form.cpus.trim()
  const errors: Partial<Record<FormField, string>> = {
    name: appNameError(form.name),
    server: form.server ? undefined : 'Choose the server the app runs on.',
    port: portError(form.port, { optional: true }),
    healthPath:
      form.healthPath.trim() === '' || form.healthPath.trim().startsWith('/')
        ? undefined
        : 'Start the path with /, like /health.',
    cpus: cpus === '' || Number(cpus) > 0 ? undefined : 'Enter a number of CPUs such as 0.5 or 2.',
  }
  if (form.sourceKind === 'folder') {
    errors.path = form.path.trim().startsWith('/')
      ? undefined
      : 'Enter the full path of the folder, like /home/you/my-app.'
  } else {
    errors.gitUrl = form.gitUrl.trim() ? undefined : 'Enter the repository’s URL.'
  }
  return Object.fromEntries(Object.entries(errors).filter(([, error]) => error)) as Partial<
    Record<FormField, string>
  >
}

export const domainLines = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)

export function createInput(form: NewAppForm): CreateAppInput {
  const optional = (value: string): string | undefined => value.trim() || undefined
  const port = optional(form.port)
  const cpus = optional(form.cpus)
  return {
    name: form.name,
    server: form.server,
    source:
      form.sourceKind === 'folder'
        ? { kind: 'folder', path: form.path.trim() }
        : {
            kind: 'git',
            url: form.gitUrl.trim(),
            ...(optional(form.branch) ? { branch: form.branch.trim() } : {}),
          },
    ...(port ? { port: Number(port) } : {}),
    ...(domainLines(form.domains).length ? { domains: domainLines(form.domains) } : {}),
    ...(optional(form.healthPath) ? { healthPath: form.healthPath.trim() } : {}),
    ...(optional(form.memory) ? { memory: form.memory.trim() } : {}),
    ...(cpus ? { cpus: Number(cpus) } : {}),
  }
}

/** The form's field for each field of `apps:create`'s input that an error may name. */
const FORM_FIELDS: Record<string, FormField> = {
  name: 'name',
  server: 'server',
  'source.path': 'path',
  'source.url': 'gitUrl',
  'source.branch': 'branch',
  port: 'port',
  domains: 'domains',
  healthPath: 'healthPath',
  memory: 'memory',
  cpus: 'cpus',
}

/** The field a failure from the core belongs beside, by the error's `field`, or null for the form as a whole. */
export function fieldOf(failure: Failure): FormField | null {
  // The server is gone from this computer: it is the form's pick that is wrong.
  if (failure.code === 'SERVER_NOT_FOUND') return 'server'
  // `domains.1`: the one text box holds every domain.
  const field = failure.field?.replace(/^domains\.\d+$/, 'domains')
  return (field !== undefined && FORM_FIELDS[field]) || null
}

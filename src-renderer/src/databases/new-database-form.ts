/** The New database form: its fields as typed, their checks, and the create input they make. */
import type { CreateDatabaseInput, DatabaseEngine } from '../../../src-main/api/contract'
import { appNameError } from '../apps/app-format'
import type { Failure } from '../ui/task'

export interface NewDatabaseForm {
  name: string
  server: string
  engine: DatabaseEngine
  version: string
  image: string
  memory: string
  cpus: string
}

export type FormField = keyof NewDatabaseForm

export const emptyForm = (server: string): NewDatabaseForm => ({
  name: '',
  server,
  engine: 'postgres',
  version: '',
  image: '',
  memory: '',
  cpus: '',
})

/**
 * What the form can tell before asking the core (the same name rule as apps');
 * the core checks everything again, the version, image and memory limit included.
 */
export function formErrors(form: NewDatabaseForm): Partial<Record<FormField, string>> {
  const cpus = form.cpus.trim()
  const errors: Partial<Record<FormField, string>> = {
    name: form.name === '' ? 'Give the database a name.' : appNameError(form.name),
    server: form.server ? undefined : 'Choose the server the database runs on.',
    cpus: cpus === '' || Number(cpus) > 0 ? undefined : 'Enter a number of CPUs such as 0.5 or 2.',
  }
  return Object.fromEntries(Object.entries(errors).filter(([, error]) => error)) as Partial<
    Record<FormField, string>
  >
}

export function createInput(form: NewDatabaseForm): CreateDatabaseInput {
  const optional = (value: string): string | undefined => value.trim() || undefined
  const cpus = optional(form.cpus)
  return {
    name: form.name,
    server: form.server,
    engine: form.engine,
    ...(optional(form.version) ? { version: form.version.trim() } : {}),
    ...(optional(form.image) ? { image: form.image.trim() } : {}),
    ...(optional(form.memory) ? { memory: form.memory.trim() } : {}),
    ...(cpus ? { cpus: Number(cpus) } : {}),
  }
}

const FIELDS = new Set<string>(['name', 'server', 'engine', 'version', 'image', 'memory', 'cpus'])

/** The field a failure from the core belongs beside, by the error's `field`, or null for the form as a whole. */
export function fieldOf(failure: Failure): FormField | null {
  if (failure.code === 'SERVER_NOT_FOUND') return 'server'
  return failure.field !== undefined && FIELDS.has(failure.field) ? (failure.field as FormField) : null
}

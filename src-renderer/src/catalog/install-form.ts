/** The catalogue's install form: its fields as typed, their checks, and what it sends to the core. */
import type { CreateAppInput, RenderTemplateInput, Template } from '../../../src-main/api/contract'
import { appNameError } from '../apps/app-format'
import type { Failure } from '../ui/task'

export interface InstallForm {
  name: string
  server: string
  /** What the user typed for each variable; an empty one is generated (or its default) by the core. */
  values: Record<string, string>
}

export const emptyInstallForm = (name: string, server: string): InstallForm => ({ name, server, values: {} })

/** A form field: the name, the server, or a variable (`var:NAME`). */
export type InstallField = 'name' | 'server' | `var:${string}`

/** What the form can tell before asking the core; the core checks everything again. */
export function installErrors(form: InstallForm, template: Template): Partial<Record<InstallField, string>> {
  const errors: Partial<Record<InstallField, string>> = {}
  const name = appNameError(form.name)
  if (name) errors.name = name
  if (!form.server) errors.server = 'Choose the server the app runs on.'
  for (const variable of template.variables) {
    if (variable.required && !(form.values[variable.name] ?? '').trim())
      errors[`var:${variable.name}`] = `Enter ${variable.name}: the template has no way to generate it.`
  }
  return errors
}

/** The values the user gave (trimmed), without the empty ones, which the core generates. */
export function givenValues(form: InstallForm): Record<string, string> {
  return Object.fromEntries(
    Object.entries(form.values)
      .map(([key, value]) => [key, value.trim()] as const)
      .filter(([, value]) => value !== ''),
  )
}

/**
 * `catalog:render`'s input for the preview. `generated`: the generated values the user revealed;
 * sent as given, so the preview and the install keep the very values the user saw.
 */
export function renderInput(
  form: InstallForm,
  template: Template,
  { reveal, generated = {} }: { reveal: boolean; generated?: Record<string, string> },
): RenderTemplateInput {
  return {
    template: template.id,
    version: template.version,
    app: form.name,
    server: form.server,
    values: { ...generated, ...givenValues(form) },
    reveal,
  }
}

/** `apps:create`'s input: a catalogue app of this template version, with the given (and revealed) values. */
export function installInput(
  form: InstallForm,
  template: Template,
  generated: Record<string, string> = {},
): CreateAppInput {
  const values = { ...generated, ...givenValues(form) }
  return {
    name: form.name,
    server: form.server,
    source: {
      kind: 'catalog',
      template: template.id,
      version: template.version,
      ...(Object.keys(values).length > 0 ? { values } : {}),
    },
  }
}

/** The field a failure from the core belongs beside, by the error's `field`, or null for the form. */
export function installFieldOf(failure: Failure): InstallField | null {
  if (failure.code === 'SERVER_NOT_FOUND') return 'server'
  const field = failure.field
  if (field === 'name' || field === 'app') return 'name'
  if (field === 'server') return 'server'
  const variable = field && /^(?:source\.)?values\.(.+)$/.exec(field)
  return variable ? `var:${variable[1]}` : null
}

import { useRef, useState, type FormEvent } from 'react'
import type { AppSummary } from '../../../src-main/api/contract'
import { api } from '../session-store'
import { focusFirstInvalid } from '../ui/forms'
import { toFailure, type Failure } from '../ui/task'
import {
  changesOf,
  fieldOf,
  formErrors,
  formOf,
  type SettingsField,
  type SettingsForm,
} from './settings-form'

/** A text field of the form: not the domain or volume rows nor the health check's kind. */
type TextSetting = Exclude<keyof SettingsForm, 'domains' | 'volumes' | 'healthKind' | 'builder'>

/** The Settings form's state: what was typed, what is wrong with it and where, and saving it. */
export function useSettingsEditor(app: AppSummary) {
  const [initial] = useState(() => formOf(app))
  const [form, setForm] = useState(initial)
  const [submitted, setSubmitted] = useState(false)
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<Failure | null>(null)
  const formRef = useRef<HTMLFormElement>(null)

  const errors = formErrors(form)
  const failureField = failure && fieldOf(failure, form)
  const changes = changesOf(initial, form)
  /** The core's objection to a field, else the form's own once the field was edited or saved. */
  const errorOf = (field: SettingsField): string | undefined => {
    if (failure && failureField === field) return [failure.message, failure.hint].filter(Boolean).join(' — ')
    if (field.startsWith('domain-') || field.startsWith('volume-')) return undefined
    const key = field as Exclude<keyof SettingsForm, 'domains' | 'volumes'>
    return submitted || form[key] !== initial[key] ? errors[field] : undefined
  }
  const edit = (patch: Partial<SettingsForm>, field?: SettingsField) => {
    setForm((current) => ({ ...current, ...patch }))
    // An edit answers the core's objection to that field.
    if (failure && failureField && (failureField === field || failureField in patch)) setFailure(null)
  }
  const bind = (field: TextSetting) => ({
    value: form[field],
    onChange: (value: string) => edit({ [field]: value }),
    error: errorOf(field),
  })

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    setSubmitted(true)
    if (Object.keys(errors).length > 0) {
      // Let React mark the fields invalid before moving focus to the first.
      requestAnimationFrame(() => focusFirstInvalid(formRef.current))
      return
    }
    setBusy(true)
    setFailure(null)
    try {
      // Saved: the app list follows, and the new settings start this form again.
      await api().call('apps:update', { name: app.name, changes })
    } catch (error) {
      setFailure(toFailure(error))
      requestAnimationFrame(() => focusFirstInvalid(formRef.current))
    } finally {
      setBusy(false)
    }
  }
  const discard = () => {
    setForm(initial)
    setFailure(null)
    setSubmitted(false)
  }

  return {
    initial,
    form,
    formRef,
    busy,
    dirty: Object.keys(changes).length > 0,
    /** The core's objection that belongs to no field, shown under the form. */
    formFailure: failure && !failureField ? failure : null,
    errorOf,
    edit,
    bind,
    save,
    discard,
  }
}

export type SettingsEditorState = ReturnType<typeof useSettingsEditor>

import { useState, type FormEvent } from 'react'
import type { AddBackupTargetInput } from '../../../src-main/api/contract'
import { api } from '../session-store'
import { Button } from '../ui/button'
import { ErrorNote } from '../ui/error-note'
import { TextField } from '../ui/field'
import { PlusIcon } from '../ui/icons'
import { useAction } from './use-action'

type Field = keyof AddBackupTargetInput

const EMPTY: Record<Field, string> = {
  name: '',
  endpoint: '',
  bucket: '',
  region: '',
  prefix: '',
  accessKeyId: '',
  secretAccessKey: '',
}
const REQUIRED: Field[] = ['name', 'endpoint', 'bucket', 'accessKeyId', 'secretAccessKey']

/** A new S3-compatible target; the secret key goes to the keychain and is never shown again. */
export function AddTargetForm({ onAdded }: { onAdded(): void }) {
  const [form, setForm] = useState(EMPTY)
  const [submitted, setSubmitted] = useState(false)
  const [added, setAdded] = useState<string | null>(null)
  const action = useAction()
  const missing = (field: Field): string | undefined =>
    submitted && REQUIRED.includes(field) && form[field].trim() === '' ? 'Required.' : undefined
  const bind = (field: Field) => ({
    value: form[field],
    onChange: (value: string) => setForm((current) => ({ ...current, [field]: value })),
    error: missing(field) ?? (action.failure?.field === field ? action.failure.message : undefined),
    spellCheck: false,
  })
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    setSubmitted(true)
    if (REQUIRED.some((field) => form[field].trim() === '')) return
    const input: AddBackupTargetInput = {
      name: form.name.trim(),
      endpoint: form.endpoint.trim(),
      bucket: form.bucket.trim(),
      accessKeyId: form.accessKeyId.trim(),
      secretAccessKey: form.secretAccessKey,
      ...(form.region.trim() ? { region: form.region.trim() } : {}),
      ...(form.prefix.trim() ? { prefix: form.prefix.trim() } : {}),
    }
    void action
      .run('add', () => api().call('backups:addTarget', input))
      .then((ok) => {
        if (!ok) return
        setAdded(input.name)
        setForm(EMPTY)
        setSubmitted(false)
        onAdded()
      })
  }
  return (
    <form className="stack" noValidate onSubmit={submit}>
      <div className="field-row">
        <TextField
          label="Name"
          {...bind('name')}
          autoComplete="off"
          hint="How databases and schedules name it."
        />
        <TextField
          label="Endpoint"
          {...bind('endpoint')}
          placeholder="https://s3.eu-central-1.amazonaws.com"
        />
      </div>
      <div className="field-row">
        <TextField label="Bucket" {...bind('bucket')} />
        <TextField label="Region" {...bind('region')} optional placeholder="us-east-1" />
        <TextField label="Prefix" {...bind('prefix')} optional placeholder="prod" />
      </div>
      <div className="field-row">
        <TextField label="Access key ID" {...bind('accessKeyId')} autoComplete="off" />
        <TextField
          label="Secret access key"
          {...bind('secretAccessKey')}
          type="password"
          autoComplete="new-password"
          hint="Kept in your keychain; never shown again."
        />
      </div>
      {action.failure && !(action.failure.field && action.failure.field in EMPTY) && (
        <ErrorNote failure={action.failure} />
      )}
      {added && (
        <p className="note note-success" role="status">
          <span className="note-body">Target {added} added.</span>
        </p>
      )}
      <div className="form-actions">
        <Button type="submit" variant="primary" icon={<PlusIcon />} busy={action.running === 'add'}>
          Add target
        </Button>
      </div>
    </form>
  )
}

import { useRef, useState, type FormEvent, type ReactNode } from 'react'
import { DATABASE_ENGINES, DATABASE_DEFAULT_VERSIONS } from '../../../src-main/api/databases'
import { useServers } from '../servers/servers-store'
import { href, navigate } from '../shell/router'
import { Button, LinkButton } from '../ui/button'
import { ErrorNote } from '../ui/error-note'
import { SelectField, TextField } from '../ui/field'
import { focusFirstInvalid } from '../ui/forms'
import { PlusIcon } from '../ui/icons'
import { PageHeader } from '../ui/page-header'
import { Panel } from '../ui/panel'
import { toFailure, type Failure } from '../ui/task'
import { CreateProgress, useCreateProgress } from './create-progress'
import { ENGINE_LABELS } from './database-format'
import { useDatabases } from './databases-store'
import {
  createInput,
  emptyForm,
  fieldOf,
  formErrors,
  type FormField,
  type NewDatabaseForm,
} from './new-database-form'
import './databases.css'

export function NewDatabasePage({ server }: { server?: string }) {
  const servers = useServers((state) => state.servers)
  if (servers === null) return <p className="muted">Loading…</p>
  if (servers.length === 0) {
    return (
      <PageHeader
        title="New database"
        description="Databases run on your servers: connect a server first."
        actions={
          <LinkButton variant="primary" href={href({ page: 'connect' })} icon={<PlusIcon />}>
            Connect a server
          </LinkButton>
        }
      />
    )
  }
  const initial = servers.some((s) => s.name === server) ? server : servers[0]?.name
  return (
    <>
      <PageHeader
        title="New database"
        description="A database in a container on the server, on Helvetia’s network only: no port is published. Its credentials are generated and kept in your keychain."
      />
      <NewDatabaseFormView servers={servers.map((s) => s.name)} initialServer={initial ?? ''} />
    </>
  )
}

const ENGINE_OPTIONS = DATABASE_ENGINES.map((engine) => ({ value: engine, label: ENGINE_LABELS[engine] }))

function NewDatabaseFormView({ servers, initialServer }: { servers: string[]; initialServer: string }) {
  const [form, setForm] = useState<NewDatabaseForm>(() => emptyForm(initialServer))
  const [touched, setTouched] = useState<Partial<Record<FormField, boolean>>>({})
  const [submitted, setSubmitted] = useState(false)
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<Failure | null>(null)
  const formRef = useRef<HTMLFormElement>(null)
  const { progress, onProgress, reset } = useCreateProgress()

  const errors = formErrors(form)
  const failureField = failure && fieldOf(failure)
  const shown = (field: FormField): string | undefined =>
    submitted || touched[field] || (field === 'name' && form.name !== '') ? errors[field] : undefined
  const set = (patch: Partial<NewDatabaseForm>): void => {
    setForm((current) => ({ ...current, ...patch }))
    if (failure && failureField && failureField in patch) setFailure(null)
  }
  const bind = (field: 'name' | 'version' | 'image' | 'memory' | 'cpus') => ({
    value: form[field],
    onChange: (value: string) => set({ [field]: value }),
    onBlur: () => setTouched((current) => ({ ...current, [field]: true })),
    error: shown(field),
  })
  const coreNote = (field: FormField) => failure && failureField === field && <ErrorNote failure={failure} />
  const defaultVersion = DATABASE_DEFAULT_VERSIONS[form.engine]

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    setSubmitted(true)
    if (Object.keys(errors).length > 0) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current))
      return
    }
    setBusy(true)
    setFailure(null)
    reset()
    try {
      const database = await useDatabases.getState().create(createInput(form), onProgress)
      navigate({ page: 'database', name: database.name })
    } catch (error) {
      setFailure(toFailure(error))
      setBusy(false)
    }
  }

  return (
    <form ref={formRef} className="new-database" noValidate onSubmit={(event) => void submit(event)}>
      <Panel title="Database">
        <div className="stack">
          <TextField
            label="Name"
            {...bind('name')}
            autoComplete="off"
            spellCheck={false}
            hint="Lowercase letters, digits and dashes, up to 40 characters; not the name of an app on the same server. Linked apps reach it by this name."
          />
          {coreNote('name')}
          <SelectField
            label="Server"
            value={form.server}
            options={servers.map((name) => ({ value: name, label: name }))}
            onChange={(server) => set({ server })}
            error={shown('server')}
          />
          {coreNote('server')}
        </div>
      </Panel>
      <Panel title="Engine">
        <div className="stack">
          <div className="field-row">
            <SelectField
              label="Engine"
              value={form.engine}
              options={ENGINE_OPTIONS}
              onChange={(engine) => set({ engine })}
            />
            <TextField
              label="Version"
              {...bind('version')}
              optional
              placeholder={defaultVersion}
              spellCheck={false}
              hint={`The major version (the image’s tag). Default: ${defaultVersion}.`}
            />
          </div>
          {coreNote('engine')}
          {coreNote('version')}
          <TextField
            label="Image"
            {...bind('image')}
            optional
            className="mono-input"
            spellCheck={false}
            placeholder={`The official ${ENGINE_LABELS[form.engine]} image`}
            hint="Another image that honours the official one’s environment: a private registry’s copy, a local build."
          />
          {coreNote('image')}
        </div>
      </Panel>
      <ResourcesPanel bind={bind} coreNote={coreNote} />
      {progress && (busy || failure) && <CreateProgress progress={progress} />}
      {failure && !failureField && <ErrorNote failure={failure} />}
      <div className="form-actions">
        <LinkButton href={href({ page: 'databases' })}>Cancel</LinkButton>
        <Button type="submit" variant="primary" busy={busy} icon={<PlusIcon />}>
          {busy ? 'Creating…' : 'Create database'}
        </Button>
      </div>
    </form>
  )
}

type Bind = (field: 'memory' | 'cpus') => {
  value: string
  onChange(value: string): void
  onBlur(): void
  error: string | undefined
}

function ResourcesPanel({ bind, coreNote }: { bind: Bind; coreNote(field: FormField): ReactNode }) {
  return (
    <Panel title="Resources">
      <div className="field-row">
        <TextField
          label="Memory limit"
          {...bind('memory')}
          optional
          placeholder="1g"
          spellCheck={false}
          hint="Such as 512m or 1g. No limit when empty."
        />
        <TextField
          label="CPUs"
          {...bind('cpus')}
          optional
          inputMode="decimal"
          placeholder="1"
          hint="Such as 0.5 or 2. No limit when empty."
        />
      </div>
      {coreNote('memory')}
      {coreNote('cpus')}
    </Panel>
  )
}

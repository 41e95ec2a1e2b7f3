import { useRef, useState, type FormEvent } from 'react'
import type { RenderedTemplate, Template } from '../../../src-main/api/contract'
import { useApps } from '../apps/apps-store'
import { useServers } from '../servers/servers-store'
import { href, navigate } from '../shell/router'
import { Button, LinkButton } from '../ui/button'
import { ErrorNote } from '../ui/error-note'
import { SelectField, TextField } from '../ui/field'
import { focusFirstInvalid } from '../ui/forms'
import { EyeIcon, PlusIcon, RocketIcon } from '../ui/icons'
import { Panel } from '../ui/panel'
import { toFailure, type Failure } from '../ui/task'
import { describeGenerator, suggestedAppName } from './catalog-format'
import {
  emptyInstallForm,
  installErrors,
  installFieldOf,
  installInput,
  type InstallField,
  type InstallForm,
} from './install-form'
import { usePreview, type Preview } from './use-preview'

/** Installs a template as an app: its name, server and variables, a live preview, then create and deploy. */
export function InstallPanel({ template }: { template: Template }) {
  const servers = useServers((state) => state.servers)
  if (servers === null) return <p className="muted">Loading…</p>
  if (servers.length === 0) {
    return (
      <Panel title="Install">
        <p className="muted">Apps run on your servers: connect one first.</p>
        <LinkButton variant="primary" href={href({ page: 'connect' })} icon={<PlusIcon />}>
          Connect a server
        </LinkButton>
      </Panel>
    )
  }
  return <InstallFormView template={template} servers={servers.map((s) => s.name)} />
}

function InstallFormView({ template, servers }: { template: Template; servers: string[] }) {
  const [form, setForm] = useState<InstallForm>(() =>
    emptyInstallForm(suggestedAppName(template.id), servers[0] ?? ''),
  )
  const [submitted, setSubmitted] = useState(false)
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<Failure | null>(null)
  const formRef = useRef<HTMLFormElement>(null)
  const errors = installErrors(form, template)
  const preview = usePreview(template, form, !errors.name && !errors.server)
  const failureField = failure && installFieldOf(failure)
  const errorOf = (field: InstallField): string | undefined => {
    if (failure && failureField === field) return [failure.message, failure.hint].filter(Boolean).join(' — ')
    return submitted || field === 'name' ? errors[field] : undefined
  }
  const set = (patch: Partial<InstallForm>): void => {
    setForm((current) => ({ ...current, ...patch }))
    if (failureField) setFailure(null)
  }

  const install = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    setSubmitted(true)
    if (Object.keys(errors).length > 0) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current))
      return
    }
    setBusy(true)
    setFailure(null)
    try {
      const app = await useApps.getState().create(installInput(form, template, preview.generated))
      // As a new app's first deploy: the app's page shows its progress.
      useApps.getState().deploy(app.name)
      navigate({ page: 'app', name: app.name, tab: 'overview' })
    } catch (error) {
      setFailure(toFailure(error))
      setBusy(false)
      requestAnimationFrame(() => focusFirstInvalid(formRef.current))
    }
  }

  return (
    <form ref={formRef} className="install-form" noValidate onSubmit={(event) => void install(event)}>
      <Panel title={`Install ${template.name}`}>
        <div className="stack">
          <div className="form-grid">
            <TextField
              label="App name"
              value={form.name}
              onChange={(name) => set({ name })}
              error={errorOf('name')}
              autoComplete="off"
              spellCheck={false}
            />
            <SelectField
              label="Server"
              value={form.server}
              options={servers.map((name) => ({ value: name, label: name }))}
              onChange={(server) => set({ server })}
              error={errorOf('server')}
            />
          </div>
          {template.variables.length > 0 && (
            <fieldset className="field variable-list">
              <legend className="field-label">Variables</legend>
              {template.variables.map((variable) => (
                <TextField
                  key={variable.name}
                  label={variable.name}
                  type={variable.secret ? 'password' : 'text'}
                  value={form.values[variable.name] ?? ''}
                  onChange={(value) => set({ values: { ...form.values, [variable.name]: value } })}
                  error={errorOf(`var:${variable.name}`)}
                  optional={!variable.required}
                  autoComplete="off"
                  spellCheck={false}
                  placeholder={variable.generator ? 'Generated when empty' : undefined}
                  hint={`${variable.description} ${describeGenerator(variable.generator)}.`}
                />
              ))}
            </fieldset>
          )}
        </div>
      </Panel>
      <PreviewPanel preview={preview} />
      {failure && !failureField && <ErrorNote failure={failure} />}
      <div className="form-actions">
        <LinkButton href={href({ page: 'catalog' })}>Cancel</LinkButton>
        <Button type="submit" variant="primary" busy={busy} icon={<RocketIcon />}>
          Install and deploy
        </Button>
      </div>
    </form>
  )
}

/** The template rendered for this app: each value (secrets masked until revealed), routes, warnings. */
function PreviewPanel({ preview }: { preview: Preview }) {
  const [revealing, setRevealing] = useState(false)
  const [failure, setFailure] = useState<Failure | null>(null)
  const { rendered } = preview
  const toggle = async (): Promise<void> => {
    if (preview.revealed) return preview.hide()
    setRevealing(true)
    setFailure(null)
    await preview.reveal().catch((error: unknown) => setFailure(toFailure(error)))
    setRevealing(false)
  }
  return (
    <Panel
      title="Preview"
      actions={
        <Button
          icon={<EyeIcon />}
          aria-pressed={preview.revealed}
          busy={revealing}
          disabled={rendered?.status !== 'done'}
          onClick={() => void toggle()}
        >
          {preview.revealed ? 'Hide values' : 'Reveal values'}
        </Button>
      }
    >
      {failure && <ErrorNote failure={failure} />}
      {rendered === undefined ? (
        <p className="muted">Give the app a name and a server to see what it installs.</p>
      ) : rendered.status === 'running' ? (
        <p className="muted" aria-busy="true">
          Rendering the template…
        </p>
      ) : rendered.status === 'failed' ? (
        <ErrorNote failure={rendered.failure} />
      ) : (
        <RenderedView rendered={rendered.value} generated={preview.generated} />
      )}
    </Panel>
  )
}

function RenderedView({
  rendered,
  generated,
}: {
  rendered: RenderedTemplate
  generated: Record<string, string>
}) {
  return (
    <div className="stack">
      {rendered.warnings.map((warning) => (
        <p key={warning} className="note note-warning">
          <span className="note-body">{warning}</span>
        </p>
      ))}
      <ul className="value-list" aria-label="Values">
        {rendered.values.map((value) => (
          <li key={value.name} className="value-row">
            <span className="mono">{value.name}</span>
            <span className="mono" data-testid={`value-${value.name}`}>
              {value.value}
            </span>
            {(value.generated || value.name in generated) && <span className="chip">Generated</span>}
          </li>
        ))}
      </ul>
      {rendered.routes.length > 0 && (
        <ul className="value-list" aria-label="Routes">
          {rendered.routes.map((route) => (
            <li key={route.service}>
              <span className="mono">{route.domains.join(', ')}</span>{' '}
              <span className="muted">
                → {route.service}:{route.port}
              </span>
            </li>
          ))}
        </ul>
      )}
      <details className="code-details">
        <summary>Rendered compose file</summary>
        <pre className="code-block" tabIndex={0} aria-label="Rendered compose file">
          {rendered.compose}
        </pre>
      </details>
    </div>
  )
}

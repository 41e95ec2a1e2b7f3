import { useRef, useState, type FormEvent } from 'react'
import type { AppSummary } from '../../../src-main/api/contract'
import { PushPanel } from '../push/push-panel'
import { navigate } from '../shell/router'
import { api } from '../session-store'
import { Button } from '../ui/button'
import { ConfirmRemoveDialog } from '../ui/dialog'
import { ErrorNote } from '../ui/error-note'
import { SelectField, TextField } from '../ui/field'
import { focusFirstInvalid } from '../ui/forms'
import { PlusIcon, TrashIcon } from '../ui/icons'
import { Panel } from '../ui/panel'
import { Properties } from '../ui/properties'
import { toFailure, type Failure } from '../ui/task'
import { appUrls, describeSource } from './app-format'
import { DeployKeyPanel } from './deploy-key-panel'
import { useApps } from './apps-store'
import { PendingBanner } from './pending-banner'
import {
  changesOf,
  fieldOf,
  formErrors,
  formOf,
  type SettingsField,
  type SettingsForm,
} from './settings-form'
import { useAppUrls } from './use-app-urls'

/** The app's settings, editable; a saved change waits for the next deploy, and the banner says so. */
export function SettingsTab({ app }: { app: AppSummary }) {
  return (
    <div className="stack">
      {app.settingsPending && (
        <PendingBanner app={app.name} title="Settings changed — deploy to apply">
          The new settings are saved; the running version keeps the previous ones until the next deploy.
        </PendingBanner>
      )}
      {/* A saved change (here or from the CLI) starts the form again from the stored settings. */}
      <SettingsEditor key={JSON.stringify([app.spec, { ...app.source, deployKey: undefined }])} app={app} />
      {app.source.kind === 'git' && app.source.deployKey && (
        <DeployKeyPanel app={app.name} publicKey={app.source.deployKey.publicKey} />
      )}
      <PushPanel app={app} />
      <DangerZone app={app.name} />
    </div>
  )
}

const RESTART_OPTIONS = [
  { value: 'unless-stopped', label: 'Unless stopped (default)' },
  { value: 'always', label: 'Always' },
  { value: 'on-failure', label: 'On failure' },
  { value: 'no', label: 'Never' },
]

function SettingsEditor({ app }: { app: AppSummary }) {
  const [initial] = useState(() => formOf(app))
  const [form, setForm] = useState(initial)
  const [submitted, setSubmitted] = useState(false)
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<Failure | null>(null)
  const formRef = useRef<HTMLFormElement>(null)
  const generated = useAppUrls({ ...app, spec: { ...app.spec, domains: [] } })[0]

  const errors = formErrors(form)
  const failureField = failure && fieldOf(failure, form)
  const changes = changesOf(initial, form)
  const dirty = Object.keys(changes).length > 0
  /** The core's objection to a field, else the form's own once the field was edited or saved. */
  const errorOf = (field: SettingsField): string | undefined => {
    if (failure && failureField === field) return [failure.message, failure.hint].filter(Boolean).join(' — ')
    if (field.startsWith('domain-')) return undefined
    const key = field as Exclude<keyof SettingsForm, 'domains'>
    return submitted || form[key] !== initial[key] ? errors[field] : undefined
  }
  const edit = (patch: Partial<SettingsForm>, field?: SettingsField) => {
    setForm((current) => ({ ...current, ...patch }))
    // An edit answers the core's objection to that field.
    if (failure && failureField && (failureField === field || failureField in patch)) setFailure(null)
  }
  const bind = (field: Exclude<keyof SettingsForm, 'domains' | 'healthKind'>) => ({
    value: form[field],
    onChange: (value: string) => edit({ [field]: value }),
    error: errorOf(field),
  })
  const setDomain = (index: number, value: string) =>
    edit({ domains: form.domains.with(index, value) }, `domain-${index}`)

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

  const restartOptions = RESTART_OPTIONS.some((o) => o.value === initial.restart)
    ? RESTART_OPTIONS
    : [...RESTART_OPTIONS, { value: initial.restart, label: initial.restart }]
  return (
    <form ref={formRef} className="stack settings-form" noValidate onSubmit={(event) => void save(event)}>
      <Panel title="Domains">
        {form.domains.length === 0 ? (
          <p className="muted">
            No domain:{' '}
            {generated ? (
              <>
                the app is served at <span className="mono">{generated.host}</span> over HTTPS.
              </>
            ) : (
              'the server is reached by name, so there is no sslip.io address. Add a domain.'
            )}
          </p>
        ) : (
          <ul className="domain-edit-list" aria-label="Domains">
            {form.domains.map((domain, index) => {
              const url = appUrls(app.name, [domain], undefined)[0]
              return (
                <li key={index} className="domain-edit-row">
                  <TextField
                    label={`Domain ${index + 1}`}
                    value={domain}
                    onChange={(value) => setDomain(index, value)}
                    error={errorOf(`domain-${index}`)}
                    placeholder="app.example.com"
                    autoComplete="off"
                    spellCheck={false}
                  />
                  <span className={`chip ${url?.https ? 'chip-success' : ''}`}>
                    {url?.https ? 'HTTPS' : 'HTTP only'}
                  </span>
                  <Button
                    variant="ghost"
                    icon={<TrashIcon />}
                    aria-label={`Remove domain ${domain.trim() || index + 1}`}
                    onClick={() =>
                      edit({ domains: form.domains.filter((_, i) => i !== index) }, `domain-${index}`)
                    }
                  />
                </li>
              )
            })}
          </ul>
        )}
        <p className="field-hint domain-edit-hint">
          A bare or <code>https://</code> domain is served over HTTPS with a certificate from Let’s Encrypt,
          which the server’s proxy requests on the first HTTPS request (point the domain’s DNS at the server
          first); its HTTP requests are redirected. <code>http://name</code> serves plain HTTP.
        </p>
        <div className="form-actions">
          <Button
            icon={<PlusIcon />}
            onClick={() => {
              edit({ domains: [...form.domains, ''] })
              // The new row gets the focus, ready to type, once React has rendered it.
              requestAnimationFrame(() =>
                formRef.current
                  ?.querySelector<HTMLInputElement>('.domain-edit-row:last-child input')
                  ?.focus(),
              )
            }}
          >
            Add domain
          </Button>
        </div>
      </Panel>

      <div className="detail-grid">
        <Panel title="Health check">
          <div className="field-row">
            <TextField
              label="Port"
              {...bind('port')}
              inputMode="numeric"
              hint="The port the app listens on in its container."
            />
            <SelectField
              label="Check"
              value={form.healthKind}
              options={[
                { value: 'http', label: 'HTTP request' },
                { value: 'image', label: 'The image’s HEALTHCHECK' },
              ]}
              onChange={(healthKind) => edit({ healthKind })}
              error={errorOf('healthKind')}
            />
          </div>
          {form.healthKind === 'http' && (
            <TextField
              label="Path"
              {...bind('healthPath')}
              spellCheck={false}
              hint="Must answer 2xx before traffic switches to a new version."
            />
          )}
          <div className="field-row">
            <TextField label="Interval (seconds)" {...bind('intervalS')} inputMode="numeric" />
            <TextField label="Timeout (seconds)" {...bind('timeoutS')} inputMode="numeric" />
            <TextField label="Retries" {...bind('retries')} inputMode="numeric" />
            <TextField label="Start period (seconds)" {...bind('startPeriodS')} inputMode="numeric" />
          </div>
        </Panel>

        <Panel title="Resources">
          <div className="field-row">
            <TextField
              label="Memory limit"
              {...bind('memory')}
              optional
              placeholder="No limit"
              spellCheck={false}
              hint="Such as 512m or 1g."
            />
            <TextField
              label="CPUs"
              {...bind('cpus')}
              optional
              placeholder="No limit"
              inputMode="decimal"
              hint="Such as 0.5 or 2."
            />
            <TextField
              label="Process limit"
              {...bind('pids')}
              optional
              placeholder="Docker’s default"
              inputMode="numeric"
            />
          </div>
          <SelectField
            label="Restart policy"
            value={form.restart}
            options={restartOptions}
            onChange={(restart) => edit({ restart })}
            error={errorOf('restart')}
            hint="When Docker starts the container again after it stops or the server reboots."
          />
        </Panel>

        <Panel title="Deploys">
          <div className="field-row">
            <TextField
              label="Images kept for rollback"
              {...bind('keepImages')}
              inputMode="numeric"
              hint="Of the last successful deployments."
            />
            <TextField
              label="Drain time (seconds)"
              {...bind('drainS')}
              inputMode="numeric"
              hint="The old version finishes its requests after the switch."
            />
          </div>
          {app.source.kind === 'git' && (
            <TextField
              label="Branch"
              {...bind('branch')}
              optional
              placeholder="The repository’s default branch"
              spellCheck={false}
            />
          )}
        </Panel>

        <Panel title="Source">
          <Properties
            rows={[
              ['Kind', app.source.kind === 'folder' ? 'A folder on this computer' : 'A git repository'],
              [
                app.source.kind === 'folder' ? 'Path' : 'Repository',
                <span className="mono">{describeSource(app.source)}</span>,
              ],
            ]}
          />
        </Panel>
      </div>

      {failure && !failureField && <ErrorNote failure={failure} />}
      <div className="form-actions">
        <Button
          disabled={!dirty || busy}
          onClick={() => {
            setForm(initial)
            setFailure(null)
            setSubmitted(false)
          }}
        >
          Discard changes
        </Button>
        <Button type="submit" variant="primary" busy={busy} disabled={!dirty}>
          Save settings
        </Button>
      </div>
    </form>
  )
}

function DangerZone({ app }: { app: string }) {
  const [confirming, setConfirming] = useState(false)
  return (
    <Panel title="Remove app" className="danger-zone">
      <p className="muted">
        Removes the app from its server (route, containers, images and deployment history) and its secrets
        from this computer’s keychain.
      </p>
      <div className="form-actions">
        <Button variant="danger" icon={<TrashIcon />} onClick={() => setConfirming(true)}>
          Remove app
        </Button>
      </div>
      {confirming && <RemoveAppDialog app={app} onClose={() => setConfirming(false)} />}
    </Panel>
  )
}

function RemoveAppDialog({ app, onClose }: { app: string; onClose(): void }) {
  const [typed, setTyped] = useState('')
  return (
    <ConfirmRemoveDialog
      title={`Remove ${app}?`}
      action="Remove app"
      disabled={typed !== app}
      onConfirm={async () => {
        await useApps.getState().remove(app)
        navigate({ page: 'apps' })
      }}
      onClose={onClose}
    >
      <p>The app stops serving and everything it left on its server is deleted. This cannot be undone.</p>
      <TextField
        label={`Type ${app} to confirm`}
        value={typed}
        onChange={setTyped}
        autoComplete="off"
        spellCheck={false}
      />
    </ConfirmRemoveDialog>
  )
}

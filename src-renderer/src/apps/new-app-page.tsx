import { useRef, useState, type FormEvent, type ReactNode } from 'react'
import { createApp } from '../github/create-app'
import { GitHubRepoPicker, suggestedAppName } from '../github/repo-picker'
import { useServers } from '../servers/servers-store'
import { href, navigate } from '../shell/router'
import { Button, LinkButton } from '../ui/button'
import { ErrorNote } from '../ui/error-note'
import { ChoiceGroup, SelectField, TextAreaField, TextField, type Choice } from '../ui/field'
import { focusFirstInvalid } from '../ui/forms'
import { PlusIcon } from '../ui/icons'
import { PageHeader } from '../ui/page-header'
import { Panel } from '../ui/panel'
import { toFailure, type Failure } from '../ui/task'
import { BuildPlanPanel, useBuildPlan } from './build-plan'
import { createInput, emptyForm, fieldOf, formErrors, type FormField, type NewAppForm } from './new-app-form'

export function NewAppPage({ server }: { server?: string }) {
  const servers = useServers((state) => state.servers)
  if (servers === null) return <p className="muted">Loading…</p>
  if (servers.length === 0) {
    return (
      <PageHeader
        title="New app"
        description="Apps run on your servers: connect a server first."
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
        title="New app"
        description="Where the app’s code comes from and how it is reached. Nothing is deployed until you say so."
      />
      <NewAppFormView servers={servers.map((s) => s.name)} initialServer={initial ?? ''} />
    </>
  )
}

/** Where an app's code comes from, as the form offers it. */
const SOURCE_CHOICES: Choice<NewAppForm['sourceKind']>[] = [
  {
    value: 'folder',
    label: 'A folder',
    description:
      'Sent from this computer at each deploy. Without a Dockerfile, Helvetia writes one for Node, Python, Go, Ruby, PHP or a static site.',
  },
  {
    value: 'git',
    label: 'A git repository',
    description: 'The server fetches the branch itself at each deploy.',
  },
]

function NewAppFormView({ servers, initialServer }: { servers: string[]; initialServer: string }) {
  const [form, setForm] = useState<NewAppForm>(() => emptyForm(initialServer))
  /** Fields the user has left, or all of them after a submit: their errors show from then on. */
  const [touched, setTouched] = useState<Partial<Record<FormField, boolean>>>({})
  const [submitted, setSubmitted] = useState(false)
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<Failure | null>(null)
  const formRef = useRef<HTMLFormElement>(null)

  const errors = formErrors(form)
  const failureField = failure && fieldOf(failure)
  // What a build of the folder will do, once its path is a full one.
  const plan = useBuildPlan(form.sourceKind === 'folder' && !errors.path ? { path: form.path.trim() } : null)
  const shown = (field: FormField): string | undefined =>
    submitted || touched[field] || (field === 'name' && form.name !== '') ? errors[field] : undefined
  const set = (patch: Partial<NewAppForm>): void => {
    setForm((current) => ({ ...current, ...patch }))
    // An edit answers the core's objection to that field.
    if (failure && failureField && failureField in patch) setFailure(null)
  }
  const bind = (field: Exclude<FormField, 'sourceKind'>) => ({
    value: form[field],
    onChange: (value: string) => set({ [field]: value }),
    onBlur: () => setTouched((current) => ({ ...current, [field]: true })),
    error: shown(field),
  })
  /** The core's failure beside the field it is about. */
  const coreNote = (field: FormField) => failure && failureField === field && <ErrorNote failure={failure} />

  const submit = async (event: FormEvent): Promise<void> => {
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
      const app = await createApp(createInput(form))
      navigate({ page: 'app', name: app.name, tab: 'overview' })
    } catch (error) {
      setFailure(toFailure(error))
      setBusy(false)
    }
  }

  return (
    <form ref={formRef} className="new-app" noValidate onSubmit={(event) => void submit(event)}>
      <Panel title="App">
        <div className="stack">
          <TextField
            label="Name"
            {...bind('name')}
            autoComplete="off"
            spellCheck={false}
            hint="Lowercase letters, digits and dashes, up to 40 characters: it names the app’s containers and its route."
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

      <Panel title="Source">
        <div className="stack">
          <ChoiceGroup
            legend="Where the code comes from"
            name="source"
            value={form.sourceKind}
            onChange={(sourceKind) => set({ sourceKind })}
            choices={SOURCE_CHOICES}
          />
          {form.sourceKind === 'git' && (
            <GitHubRepoPicker
              onPick={(repo) =>
                set({
                  gitUrl: repo.sshUrl,
                  branch: repo.defaultBranch,
                  name: form.name || suggestedAppName(repo),
                })
              }
            />
          )}
          {form.sourceKind === 'folder' ? (
            <TextField
              label="Folder"
              {...bind('path')}
              className="mono-input"
              placeholder="/home/you/my-app"
              spellCheck={false}
              hint="The full path of the folder on the computer Helvetia runs on."
            />
          ) : (
            <div className="form-grid">
              <TextField
                label="Repository URL"
                {...bind('gitUrl')}
                placeholder="https://github.com/you/my-app.git"
                spellCheck={false}
                hint="A public repository’s https:// URL. For a private one, create the app with the CLI and --generate-deploy-key."
              />
              <TextField label="Branch" {...bind('branch')} optional placeholder="main" spellCheck={false} />
            </div>
          )}
          {coreNote('path')}
          {coreNote('gitUrl')}
          {coreNote('branch')}
        </div>
      </Panel>

      {plan && <BuildPlanPanel plan={plan} />}

      <RoutingAndResources name={form.name} bind={bind} coreNote={coreNote} />

      {failure && !failureField && <ErrorNote failure={failure} />}
      <div className="form-actions">
        <LinkButton href={href({ page: 'apps' })}>Cancel</LinkButton>
        <Button type="submit" variant="primary" busy={busy} icon={<PlusIcon />}>
          Create app
        </Button>
      </div>
    </form>
  )
}

type Bind = (field: Exclude<FormField, 'sourceKind'>) => {
  value: string
  onChange(value: string): void
  onBlur(): void
  error: string | undefined
}

/** The form's routing (domains, port, health check) and resources (memory, CPUs) panels. */
function RoutingAndResources(props: { name: string; bind: Bind; coreNote(field: FormField): ReactNode }) {
  const { name, bind, coreNote } = props
  return (
    <>
      <Panel title="Routing">
        <div className="stack">
          <TextAreaField
            label="Domains"
            {...bind('domains')}
            optional
            rows={3}
            spellCheck={false}
            placeholder={'app.example.com\nhttp://intranet.example.com'}
            hint={
              <>
                One per line. A bare or <code>https://</code> domain is served over HTTPS with a Let’s Encrypt
                certificate (point its DNS at the server first); <code>http://</code> serves plain HTTP.
                Without domains the app gets <code>{name || 'NAME'}.SERVER-IP.sslip.io</code> over HTTPS.
              </>
            }
          />
          {coreNote('domains')}
          <div className="field-row">
            <TextField
              label="Port"
              {...bind('port')}
              optional
              inputMode="numeric"
              placeholder="3000"
              hint="The port the app listens on in its container."
            />
            <TextField
              label="Health check path"
              {...bind('healthPath')}
              optional
              placeholder="/"
              spellCheck={false}
              hint="Must answer 2xx before traffic switches."
            />
          </div>
          {coreNote('port')}
          {coreNote('healthPath')}
        </div>
      </Panel>

      <Panel title="Resources">
        <div className="field-row">
          <TextField
            label="Memory limit"
            {...bind('memory')}
            optional
            placeholder="512m"
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
    </>
  )
}

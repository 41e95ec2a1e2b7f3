import { useState } from 'react'
import type { AppSummary, VolumesChoice } from '../../../src-main/api/contract'
import { PushPanel } from '../push/push-panel'
import { navigate } from '../shell/router'
import { Button } from '../ui/button'
import { ConfirmRemoveDialog } from '../ui/dialog'
import { ErrorNote } from '../ui/error-note'
import { ChoiceGroup, SelectField, TextField } from '../ui/field'
import { TrashIcon } from '../ui/icons'
import { Panel } from '../ui/panel'
import { Properties } from '../ui/properties'
import { BUILDER_CHOICES, type BuilderChoice } from '../../../src-main/api/builds'
import { describeSource } from './app-format'
import { DeployKeyPanel } from './deploy-key-panel'
import { DomainsEditor } from './domains-editor'
import { useApps } from './apps-store'
import { PendingBanner } from './pending-banner'
import { useSettingsEditor, type SettingsEditorState } from './use-settings-editor'
import { VolumesEditor } from './volumes-editor'

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
      <DangerZone app={app} />
    </div>
  )
}

const SOURCE_KINDS: Record<AppSummary['source']['kind'], string> = {
  folder: 'A folder on this computer',
  git: 'A git repository',
  image: 'A prebuilt image',
  catalog: 'A catalogue template',
}
const SOURCE_NAMES: Record<AppSummary['source']['kind'], string> = {
  folder: 'Path',
  git: 'Repository',
  image: 'Image',
  catalog: 'Template',
}

const BUILDER_LABELS: Record<BuilderChoice, string> = {
  auto: 'Automatic: isolated where the server has a builder (default)',
  isolated: 'Isolated: a throwaway builder container',
  classic: 'Classic: the server’s docker build',
}

const RESTART_OPTIONS = [
  { value: 'unless-stopped', label: 'Unless stopped (default)' },
  { value: 'always', label: 'Always' },
  { value: 'on-failure', label: 'On failure' },
  { value: 'no', label: 'Never' },
]

function SettingsEditor({ app }: { app: AppSummary }) {
  const editor = useSettingsEditor(app)
  const { formRef, busy, dirty, formFailure } = editor
  return (
    <form
      ref={formRef}
      className="stack settings-form"
      noValidate
      onSubmit={(event) => void editor.save(event)}
    >
      <DomainsEditor app={app} editor={editor} />
      <VolumesEditor editor={editor} />
      <div className="detail-grid">
        <HealthPanel editor={editor} />
        <ResourcesPanel editor={editor} />
        <DeploysPanel app={app} editor={editor} />
        <Panel title="Source">
          <Properties
            rows={[
              ['Kind', SOURCE_KINDS[app.source.kind]],
              [SOURCE_NAMES[app.source.kind], <span className="mono">{describeSource(app.source)}</span>],
            ]}
          />
        </Panel>
      </div>

      {formFailure && <ErrorNote failure={formFailure} />}
      <div className="form-actions">
        <Button disabled={!dirty || busy} onClick={editor.discard}>
          Discard changes
        </Button>
        <Button type="submit" variant="primary" busy={busy} disabled={!dirty}>
          Save settings
        </Button>
      </div>
    </form>
  )
}

function HealthPanel({ editor }: { editor: SettingsEditorState }) {
  const { form, bind, edit, errorOf } = editor
  return (
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
  )
}

function ResourcesPanel({ editor }: { editor: SettingsEditorState }) {
  const { initial, form, bind, edit, errorOf } = editor
  const restartOptions = RESTART_OPTIONS.some((o) => o.value === initial.restart)
    ? RESTART_OPTIONS
    : [...RESTART_OPTIONS, { value: initial.restart, label: initial.restart }]
  return (
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
  )
}

function DeploysPanel({ app, editor }: { app: AppSummary; editor: SettingsEditorState }) {
  const { bind } = editor
  return (
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
      <TextField
        label="Release command"
        {...bind('releaseCommand')}
        optional
        placeholder="None"
        spellCheck={false}
        hint="Runs once per deploy (sh -c) in a container of the new image with the new env, before traffic moves, like npm run migrate; if it fails, the deploy fails and the old version serves on. Rollbacks do not run it."
      />
      {(app.source.kind === 'folder' || app.source.kind === 'git') && (
        <SelectField
          label="Builder"
          value={editor.form.builder}
          options={BUILDER_CHOICES.map((value) => ({ value, label: BUILDER_LABELS[value] }))}
          onChange={(builder) => editor.edit({ builder })}
          error={editor.errorOf('builder')}
          hint="Isolated builds run with CPU, memory and disk caps and no access to the server’s Docker socket or files; each deployment records which builder ran."
        />
      )}
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
  )
}

function DangerZone({ app }: { app: AppSummary }) {
  const [confirming, setConfirming] = useState(false)
  return (
    <Panel title="Remove app" className="danger-zone">
      <p className="muted">
        Removes the app from its server (route, containers, images and deployment history) and its secrets
        from this computer’s keychain. Its volumes are kept or deleted as you choose.
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

/** Typing the name confirms; an app with volumes also needs keep or delete chosen (no default). */
function RemoveAppDialog({ app, onClose }: { app: AppSummary; onClose(): void }) {
  const [typed, setTyped] = useState('')
  const [volumes, setVolumes] = useState<VolumesChoice | ''>('')
  const named = (app.spec.volumes ?? []).filter((v) => !v.source.startsWith('/'))
  return (
    <ConfirmRemoveDialog
      title={`Remove ${app.name}?`}
      action="Remove app"
      disabled={typed !== app.name || (named.length > 0 && volumes === '')}
      onConfirm={async () => {
        await useApps.getState().remove(app.name, volumes || undefined)
        navigate({ page: 'apps' })
      }}
      onClose={onClose}
    >
      <p>The app stops serving and everything it left on its server is deleted. This cannot be undone.</p>
      {named.length > 0 && (
        <ChoiceGroup<VolumesChoice | ''>
          legend={`Its volumes: ${named.map((v) => v.source).join(', ')}`}
          name="remove-volumes"
          value={volumes}
          onChange={setVolumes}
          choices={[
            { value: 'keep', label: 'Keep the volumes', description: 'Their data stays on the server.' },
            {
              value: 'delete',
              label: 'Delete the volumes',
              description: 'Their data is deleted with the app.',
            },
          ]}
        />
      )}
      <TextField
        label={`Type ${app.name} to confirm`}
        value={typed}
        onChange={setTyped}
        autoComplete="off"
        spellCheck={false}
      />
    </ConfirmRemoveDialog>
  )
}

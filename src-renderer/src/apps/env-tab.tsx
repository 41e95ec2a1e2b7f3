import { useCallback, useEffect, useState, type FormEvent } from 'react'
import { ENV_KEY } from '../../../src-main/api/apps'
import type { EnvListing } from '../../../src-main/api/contract'
import { api } from '../session-store'
import { Button } from '../ui/button'
import { ConfirmRemoveDialog } from '../ui/dialog'
import { ErrorNote } from '../ui/error-note'
import { TextField } from '../ui/field'
import { LockIcon, PlusIcon, TrashIcon } from '../ui/icons'
import { Panel } from '../ui/panel'
import { runTask, toFailure, type Failure, type Task } from '../ui/task'
import { selectApp, useApps } from './apps-store'
import { PendingBanner } from './pending-banner'

type EnvVarRow = EnvListing['vars'][number]

/** The editor's form: a new variable, or an existing one (its name fixed) getting a new value. */
interface Draft {
  key: string
  value: string
  secret: boolean
  editing: boolean
}

const NEW_DRAFT: Draft = { key: '', value: '', secret: false, editing: false }

/**
 * The app's env: plain values shown, secrets masked and write-only (a saved secret is never read back,
 * only replaced). Changes wait for the next deploy, and the banner says so.
 */
export function EnvTab({ app }: { app: string }) {
  const [env, setEnv] = useState<Task<EnvListing>>()
  const [draft, setDraft] = useState<Draft>(NEW_DRAFT)
  const [removing, setRemoving] = useState<EnvVarRow | null>(null)
  // Each save starts a fresh, empty editor.
  const [saves, setSaves] = useState(0)
  const load = useCallback(() => runTask(() => api().call('env:list', { name: app }), setEnv), [app])
  useEffect(() => void load(), [load])

  const listing = env?.status === 'done' ? env.value : null
  // From the live app list: a deploy that ends clears it without this tab reloading.
  const pending = useApps((state) => selectApp(app)(state)?.envPending ?? false)
  const editor = (
    <EnvEditor
      key={`${draft.key}:${draft.editing}:${saves}`}
      app={app}
      draft={draft}
      onSaved={() => {
        setDraft(NEW_DRAFT)
        setSaves((n) => n + 1)
        void load()
      }}
      onCancel={() => setDraft(NEW_DRAFT)}
    />
  )
  return (
    <div className="stack">
      {pending && (
        <PendingBanner app={app} title="Not deployed yet">
          These changes are saved, but the running version does not have them: they take effect with the next
          deploy.
        </PendingBanner>
      )}
      <Panel title="Environment variables">
        {env === undefined || (env.status === 'running' && !listing) ? (
          <p className="muted">Loading…</p>
        ) : env.status === 'failed' ? (
          <ErrorNote failure={env.failure} />
        ) : listing && listing.vars.length === 0 ? (
          <p className="muted">
            No variables yet. The app gets them as environment variables when it is deployed.
          </p>
        ) : (
          <ul className="env-list" aria-label="Environment variables">
            {listing?.vars.map((v) => (
              <li key={v.key} className="env-row">
                <span className="env-key mono">{v.key}</span>
                {v.secret ? (
                  <span className="env-value env-secret">
                    <LockIcon />
                    <span>
                      <span aria-hidden="true">{v.value}</span>
                      <span className="visually-hidden">Secret value hidden</span>
                    </span>
                  </span>
                ) : (
                  <span className="env-value mono">{v.value || <span className="muted">(empty)</span>}</span>
                )}
                {v.secret && <span className="chip">Secret</span>}
                <span className="env-actions">
                  <Button
                    variant="ghost"
                    aria-label={`Edit ${v.key}`}
                    onClick={() =>
                      setDraft({
                        key: v.key,
                        value: v.secret ? '' : v.value,
                        secret: v.secret,
                        editing: true,
                      })
                    }
                  >
                    Edit
                  </Button>
                  <Button
                    variant="ghost"
                    icon={<TrashIcon />}
                    aria-label={`Remove ${v.key}`}
                    onClick={() => setRemoving(v)}
                  />
                </span>
              </li>
            ))}
          </ul>
        )}
      </Panel>
      <Panel title={draft.editing ? `Change ${draft.key}` : 'Add a variable'}>{editor}</Panel>
      {removing && (
        <RemoveVarDialog
          app={app}
          variable={removing}
          onClose={() => setRemoving(null)}
          onRemoved={() => {
            setRemoving(null)
            void load()
          }}
        />
      )}
    </div>
  )
}

function keyError(key: string): string | undefined {
  if (key === '') return 'Give the variable a name.'
  return ENV_KEY.test(key) ? undefined : 'Use letters, digits and _, not starting with a digit.'
}

function EnvEditor({
  app,
  draft,
  onSaved,
  onCancel,
}: {
  app: string
  draft: Draft
  onSaved(): void
  onCancel(): void
}) {
  const [key, setKey] = useState(draft.key)
  const [value, setValue] = useState(draft.value)
  const [secret, setSecret] = useState(draft.secret)
  const [submitted, setSubmitted] = useState(false)
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<Failure | null>(null)
  const error = keyError(key)

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    setSubmitted(true)
    if (error) return
    setBusy(true)
    setFailure(null)
    try {
      await api().call('env:set', { name: app, vars: [{ key, value }], secret })
      onSaved()
    } catch (caught) {
      setFailure(toFailure(caught))
      setBusy(false)
    }
  }
  return (
    <form className="env-editor" noValidate onSubmit={(event) => void save(event)}>
      <div className="env-editor-fields">
        <TextField
          label="Name"
          value={key}
          onChange={setKey}
          readOnly={draft.editing}
          error={submitted || key !== '' ? error : undefined}
          autoComplete="off"
          spellCheck={false}
          placeholder="DATABASE_URL"
        />
        <TextField
          label="Value"
          type={secret ? 'password' : 'text'}
          value={value}
          onChange={setValue}
          autoComplete="off"
          spellCheck={false}
          hint={
            draft.editing && draft.secret
              ? 'A saved secret cannot be shown: enter its new value.'
              : secret
                ? 'Kept in the OS keychain, masked in logs, never shown again once saved.'
                : undefined
          }
        />
      </div>
      <label className="toggle">
        <input type="checkbox" checked={secret} onChange={(event) => setSecret(event.target.checked)} />
        <span>Secret</span>
      </label>
      {failure && <ErrorNote failure={failure} />}
      <div className="form-actions">
        {draft.editing && <Button onClick={onCancel}>Cancel</Button>}
        <Button type="submit" variant="primary" busy={busy} icon={draft.editing ? undefined : <PlusIcon />}>
          {draft.editing ? 'Save' : 'Add variable'}
        </Button>
      </div>
    </form>
  )
}

function RemoveVarDialog({
  app,
  variable,
  onClose,
  onRemoved,
}: {
  app: string
  variable: EnvVarRow
  onClose(): void
  onRemoved(): void
}) {
  return (
    <ConfirmRemoveDialog
      title={`Remove ${variable.key}?`}
      action="Remove variable"
      onConfirm={async () => {
        await api().call('env:unset', { name: app, keys: [variable.key] })
        onRemoved()
      }}
      onClose={onClose}
    >
      <p>
        The app keeps it until the next deploy.
        {variable.secret && ' Its value is deleted from the keychain and cannot be shown again.'}
      </p>
    </ConfirmRemoveDialog>
  )
}

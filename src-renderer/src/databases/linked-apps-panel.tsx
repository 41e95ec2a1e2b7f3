import { useState, type FormEvent } from 'react'
import type { DatabaseSummary } from '../../../src-main/api/contract'
import { useApps } from '../apps/apps-store'
import { api } from '../session-store'
import { href } from '../shell/router'
import { Button } from '../ui/button'
import { ConfirmRemoveDialog } from '../ui/dialog'
import { ErrorNote } from '../ui/error-note'
import { SelectField, TextField } from '../ui/field'
import { PlusIcon, TrashIcon } from '../ui/icons'
import { Panel } from '../ui/panel'
import { useDatabases } from './databases-store'
import { useAction } from './use-action'

/** Apps whose env holds the database's URL (as a secret), and linking one more. */
export function LinkedAppsPanel({ database }: { database: DatabaseSummary }) {
  const [unlinking, setUnlinking] = useState<string | null>(null)
  const refresh = (): void => {
    void useDatabases.getState().refresh()
  }
  return (
    <Panel title="Linked apps">
      {database.linkedApps.length === 0 ? (
        <p className="muted">No app uses it yet. Linking adds its URL to the app’s env as a secret.</p>
      ) : (
        <ul className="env-list" aria-label="Linked apps">
          {database.linkedApps.map((link) => (
            <li key={link.app} className="env-row">
              <a className="env-key" href={href({ page: 'app', name: link.app, tab: 'env' })}>
                {link.app}
              </a>
              <span className="env-value mono">{link.key}</span>
              <span className="env-actions">
                <Button
                  variant="ghost"
                  icon={<TrashIcon />}
                  aria-label={`Unlink ${link.app}`}
                  onClick={() => setUnlinking(link.app)}
                />
              </span>
            </li>
          ))}
        </ul>
      )}
      <LinkForm database={database} onLinked={refresh} />
      {unlinking && (
        <ConfirmRemoveDialog
          title={`Unlink ${unlinking}?`}
          action="Unlink"
          onClose={() => setUnlinking(null)}
          onConfirm={async () => {
            await api().call('databases:unlink', { name: database.name, app: unlinking })
            setUnlinking(null)
            refresh()
          }}
        >
          <p>
            The URL leaves {unlinking}’s env; the running version keeps it until {unlinking} is deployed
            again.
          </p>
        </ConfirmRemoveDialog>
      )}
    </Panel>
  )
}

function LinkForm({ database, onLinked }: { database: DatabaseSummary; onLinked(): void }) {
  const apps = useApps((state) => state.apps) ?? []
  // Only an app on the same server reaches it: the database lives on that server's network.
  const choices = apps
    .filter((app) => app.server === database.server)
    .filter((app) => !database.linkedApps.some((link) => link.app === app.name))
  const [app, setApp] = useState('')
  const [key, setKey] = useState('')
  const [linked, setLinked] = useState<{ app: string; key: string } | null>(null)
  const action = useAction()
  const chosen = choices.some((c) => c.name === app) ? app : (choices[0]?.name ?? '')
  const fieldError = (field: string): string | undefined =>
    action.failure?.field === field ? action.failure.message : undefined

  const submit = (event: FormEvent): void => {
    event.preventDefault()
    void action.run('link', async () => {
      const { key: as } = await api().call('databases:link', {
        name: database.name,
        app: chosen,
        ...(key.trim() ? { as: key.trim() } : {}),
      })
      setLinked({ app: chosen, key: as })
      setKey('')
      onLinked()
    })
  }
  if (choices.length === 0) {
    return (
      <p className="muted link-empty">
        {apps.some((a) => a.server === database.server)
          ? `Every app on ${database.server} is linked.`
          : `No app runs on ${database.server} yet: an app reaches the database only from the same server.`}
      </p>
    )
  }
  return (
    <form className="link-form" noValidate onSubmit={submit}>
      <div className="field-row">
        <SelectField
          label="App"
          value={chosen}
          options={choices.map((c) => ({ value: c.name, label: c.name }))}
          onChange={setApp}
          error={fieldError('app')}
        />
        <TextField
          label="Env key"
          value={key}
          onChange={setKey}
          optional
          placeholder="DATABASE_URL"
          spellCheck={false}
          className="mono-input"
          error={fieldError('as')}
          hint="The variable the app reads the URL from."
        />
      </div>
      {action.failure && !action.failure.field && <ErrorNote failure={action.failure} />}
      {linked && (
        <p className="note note-success" role="status">
          <span className="note-body">
            Linked: {linked.app} gets <span className="mono">{linked.key}</span> with its next deploy.
          </span>
        </p>
      )}
      <div className="panel-buttons">
        <Button type="submit" icon={<PlusIcon />} busy={action.running === 'link'}>
          Link app
        </Button>
      </div>
    </form>
  )
}

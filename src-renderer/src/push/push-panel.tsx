import { useCallback, useEffect, useState, type FormEvent } from 'react'
import type {
  AppSummary,
  DeliveryRecord,
  DeliveryStatus,
  PushConnection,
  PushLink,
} from '../../../src-main/api/contract'
import { CopyButton } from '../github/copy-button'
import { api } from '../session-store'
import { Button } from '../ui/button'
import { ErrorNote } from '../ui/error-note'
import { TextField } from '../ui/field'
import { formatDate } from '../ui/format'
import { AlertIcon, CheckIcon, RefreshIcon } from '../ui/icons'
import { Panel } from '../ui/panel'
import { toFailure, type Failure, type Task } from '../ui/task'
import './push.css'

const STATUSES: Record<DeliveryStatus, { label: string; badge: string }> = {
  received: { label: 'Received', badge: 'badge-running' },
  'deploy-started': { label: 'Deploy started', badge: 'badge-running' },
  deployed: { label: 'Deployed', badge: 'badge-done' },
  failed: { label: 'Failed', badge: 'badge-failed' },
  'refused-signature': { label: 'Refused: bad signature', badge: 'badge-failed' },
  'refused-commit': { label: 'Refused: not on the branch', badge: 'badge-failed' },
  'refused-size': { label: 'Refused: too large', badge: 'badge-failed' },
  'ignored-branch': { label: 'Ignored: other branch', badge: 'badge-stopped' },
  'ignored-event': { label: 'Ignored: not a push', badge: 'badge-stopped' },
  duplicate: { label: 'Redelivery', badge: 'badge-stopped' },
}

/**
 * The app's push to deploy: whether a relay receives its GitHub webhook, connecting one (the URL and
 * secret shown once, or the webhook added on GitHub directly), and the delivery log, live.
 */
export function PushPanel({ app }: { app: AppSummary }) {
  const { name } = app
  const [link, setLink] = useState<Task<PushLink | null>>({ status: 'running' })
  const [connecting, setConnecting] = useState(false)
  const [shown, setShown] = useState<PushConnection | null>(null)
  // Read again in place (not through "running"), so what shows it stays while it refreshes.
  const readLink = useCallback(
    (): Promise<void> =>
      api()
        .call('push:status', { name })
        .then(
          (value) => setLink({ status: 'done', value }),
          (error: unknown) => setLink({ status: 'failed', failure: toFailure(error) }),
        ),
    [name],
  )
  useEffect(() => void readLink(), [readLink])

  const current = link.status === 'done' ? link.value : null
  const connected = (link: PushConnection): void => {
    setShown(link)
    setConnecting(false)
    void readLink()
  }

  return (
    <Panel
      title="Push to deploy"
      actions={
        current &&
        !connecting && (
          <Button icon={<RefreshIcon />} onClick={() => setConnecting(true)}>
            Connect again
          </Button>
        )
      }
    >
      <div className="stack">
        {link.status === 'running' ? (
          <p className="muted">Reading the webhook…</p>
        ) : link.status === 'failed' ? (
          <ErrorNote failure={link.failure} />
        ) : current ? (
          <Connection link={current} />
        ) : (
          <p className="muted">
            Not connected. GitHub posts each push to a relay, which keeps it until Helvetia deploys the pushed
            commit{app.source.kind === 'git' ? '' : ' (apps deployed from a git repository only)'}.
          </p>
        )}
        {shown && <Connected connection={shown} onDone={() => setShown(null)} />}
        {(connecting || (link.status === 'done' && !current && !shown)) && (
          <ConnectForm
            name={name}
            relay={current?.relay}
            onConnected={connected}
            onCancel={current ? () => setConnecting(false) : undefined}
          />
        )}
        {current && <DeliveryLog name={name} onChange={readLink} />}
      </div>
    </Panel>
  )
}

function Connection({ link }: { link: PushLink }) {
  const watcher = link.watcher
  return (
    <dl className="push-facts">
      <div>
        <dt>Relay</dt>
        <dd className="mono">{link.relay}</dd>
      </div>
      <div>
        <dt>Branch</dt>
        <dd className="mono">{link.branch}</dd>
      </div>
      <div>
        <dt>Connected</dt>
        <dd>{formatDate(link.connectedAt)}</dd>
      </div>
      <div>
        <dt>This computer</dt>
        <dd>
          {watcher === null
            ? 'Not following the relay right now'
            : watcher.state === 'connected'
              ? 'Listening for pushes'
              : watcher.state === 'connecting'
                ? 'Connecting to the relay…'
                : `Cannot reach the relay (${watcher.error}); trying again`}
        </dd>
      </div>
    </dl>
  )
}

function ConnectForm({
  name,
  relay: initialRelay,
  onConnected,
  onCancel,
}: {
  name: string
  relay?: string
  onConnected: (connection: PushConnection) => void
  onCancel?: () => void
}) {
  const [relay, setRelay] = useState(initialRelay ?? '')
  const [token, setToken] = useState('')
  const [error, setError] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<Failure | null>(null)

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    if (!/^https?:\/\/\S+$/.test(relay.trim())) {
      setError('Enter the relay’s address, like https://relay.example.com.')
      return
    }
    setBusy(true)
    setFailure(null)
    try {
      const connection = await api().call('push:connect', {
        name,
        relay: relay.trim(),
        ...(token.trim() ? { token: token.trim() } : {}),
      })
      onConnected(connection)
    } catch (failed) {
      setFailure(toFailure(failed))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="stack" noValidate onSubmit={(event) => void submit(event)} aria-label="Connect webhook">
      <div className="field-row">
        <TextField
          label="Relay URL"
          value={relay}
          onChange={(value) => {
            setRelay(value)
            setError(undefined)
          }}
          error={error}
          placeholder="https://relay.example.com"
          spellCheck={false}
          hint="Where `helvetia relay serve` (or a relay installed on a server) listens."
        />
        <TextField
          label="Relay token"
          type="password"
          value={token}
          onChange={setToken}
          optional
          autoComplete="off"
          hint="The token the relay printed; needed once per relay, then kept in the keychain."
        />
      </div>
      {failure && <ErrorNote failure={failure} />}
      <div className="form-actions">
        {onCancel && <Button onClick={onCancel}>Cancel</Button>}
        <Button type="submit" variant="primary" busy={busy}>
          Connect webhook
        </Button>
      </div>
    </form>
  )
}

/** What connecting gave: the webhook added on GitHub, or its URL and secret to paste, shown this once. */
function Connected({ connection, onDone }: { connection: PushConnection; onDone: () => void }) {
  const { github } = connection
  if (connection.secret === null) {
    return (
      <div className="note note-success" role="status">
        <CheckIcon />
        <div className="note-body">
          <span className="note-title">
            {github && 'created' in github && !github.created
              ? 'The repository’s webhook on GitHub now points at this relay.'
              : 'Helvetia added the webhook to the repository on GitHub.'}
          </span>
          <span className="note-hint">Pushes to {connection.branch} deploy the app.</span>
        </div>
      </div>
    )
  }
  return (
    <div className="note note-warning push-secret" role="group" aria-label="Webhook for GitHub">
      <AlertIcon />
      <div className="note-body">
        <span className="note-title">Add this webhook to the repository on GitHub now</span>
        <span className="note-hint">
          {github && 'error' in github ? `GitHub refused to add it (${github.error}). ` : ''}
          In the repository: Settings → Webhooks → Add webhook. The secret is shown only this once.
        </span>
        <dl className="push-facts">
          <div>
            <dt>Payload URL</dt>
            <dd className="push-copy">
              <span className="mono">{connection.url}</span>
              <CopyButton text={connection.url} what="the payload URL" />
            </dd>
          </div>
          <div>
            <dt>Content type</dt>
            <dd className="mono">application/json</dd>
          </div>
          <div>
            <dt>Secret</dt>
            <dd className="push-copy">
              <span className="mono">{connection.secret}</span>
              <CopyButton text={connection.secret} what="the secret" />
            </dd>
          </div>
          <div>
            <dt>Events</dt>
            <dd>Just the push event</dd>
          </div>
        </dl>
        <div className="note-actions">
          <Button onClick={onDone}>I have added it</Button>
        </div>
      </div>
    </div>
  )
}

function DeliveryLog({ name, onChange }: { name: string; onChange: () => unknown }) {
  const [attempt, setAttempt] = useState(0)
  return (
    <DeliveryTable
      key={`${name}:${attempt}`}
      name={name}
      onChange={onChange}
      onRetry={() => setAttempt((n) => n + 1)}
    />
  )
}

/** The log as the relay keeps it, newest first, read again whenever a push was handled. */
function DeliveryTable({
  name,
  onChange,
  onRetry,
}: {
  name: string
  onChange: () => unknown
  onRetry: () => void
}) {
  const [log, setLog] = useState<Task<DeliveryRecord[]>>({ status: 'running' })
  useEffect(() => {
    const subscription = api().subscribe('push:watch-deliveries', { name }, (deliveries) => {
      setLog({ status: 'done', value: deliveries })
      // The watcher's state changes come with the same refresh.
      onChange()
    })
    subscription.done.catch((error: unknown) => setLog({ status: 'failed', failure: toFailure(error) }))
    return () => subscription.cancel()
  }, [name, onChange])

  return (
    <section className="stack" aria-label="Deliveries">
      <h3 className="push-log-title">Deliveries</h3>
      {log.status === 'running' ? (
        <p className="muted">Reading the delivery log from the relay…</p>
      ) : log.status === 'failed' ? (
        <ErrorNote failure={log.failure} actions={<Button onClick={onRetry}>Try again</Button>} />
      ) : log.value.length === 0 ? (
        <p className="muted">No pushes yet. Each one GitHub sends shows here as it is handled.</p>
      ) : (
        <div className="table-frame">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Status</th>
                <th scope="col">Event</th>
                <th scope="col">Delivery</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {log.value.toReversed().map((d, index) => (
                <tr key={`${d.at}-${d.status}-${d.delivery ?? index}`}>
                  <td>{formatDate(d.at)}</td>
                  <td>
                    <span className={`badge ${STATUSES[d.status].badge}`}>{STATUSES[d.status].label}</span>
                  </td>
                  <td>{d.event ?? '—'}</td>
                  <td className="mono">{d.delivery?.slice(0, 8) ?? '—'}</td>
                  <td className="result-cell">{d.detail ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

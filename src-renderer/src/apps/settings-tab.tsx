import { useState, type ReactNode } from 'react'
import type { AppSummary } from '../../../src-main/api/contract'
import { PushPanel } from '../push/push-panel'
import { navigate } from '../shell/router'
import { Button } from '../ui/button'
import { ConfirmRemoveDialog } from '../ui/dialog'
import { TextField } from '../ui/field'
import { TrashIcon } from '../ui/icons'
import { Panel } from '../ui/panel'
import { describeSource } from './app-format'
import { useAppUrls } from './use-app-urls'
import { useApps } from './apps-store'

const DEFAULT = 'Default'

/**
 * What the app is set to, as stored on this computer. Read-only here: the API has no way to change an
 * app's settings after it was created yet.
 */
export function SettingsTab({ app }: { app: AppSummary }) {
  const { spec } = app
  const health = spec.health
  return (
    <div className="stack">
      <DomainsPanel app={app} />
      <PushPanel app={app} />
      <div className="detail-grid">
        <Panel title="Resources">
          <Properties
            rows={[
              ['Memory limit', spec.resources?.memory ?? 'No limit'],
              ['CPUs', spec.resources?.cpus ?? 'No limit'],
              ['Processes', spec.resources?.pids ?? DEFAULT],
              ['Restart policy', spec.restart ?? DEFAULT],
            ]}
          />
        </Panel>
        <Panel title="Health check">
          <Properties
            rows={[
              ['Kind', health?.kind === 'image' ? 'The image’s HEALTHCHECK' : 'HTTP'],
              ...(health?.kind === 'image'
                ? []
                : [['Path', <span className="mono">{health?.path ?? '/'}</span>] as Row]),
              ['Port', <span className="mono">{spec.port ?? 3000}</span>],
              ['Interval', health?.intervalS !== undefined ? `${health.intervalS} s` : DEFAULT],
              ['Timeout', health?.timeoutS !== undefined ? `${health.timeoutS} s` : DEFAULT],
              ['Retries', health?.retries ?? DEFAULT],
              ['Start period', health?.startPeriodS !== undefined ? `${health.startPeriodS} s` : DEFAULT],
            ]}
          />
        </Panel>
        <Panel title="Source">
          <Properties
            rows={[
              ['Kind', app.source.kind === 'folder' ? 'A folder on this computer' : 'A git repository'],
              [
                app.source.kind === 'folder' ? 'Path' : 'Repository',
                <span className="mono">{describeSource(app.source)}</span>,
              ],
              ...(app.source.kind === 'git' && app.source.deployKey
                ? [
                    [
                      'Deploy key',
                      <span className="mono key-text">{app.source.deployKey.publicKey}</span>,
                    ] as Row,
                  ]
                : []),
            ]}
          />
        </Panel>
      </div>
      <p className="muted">
        These settings are shown as stored. Changing them after creation is not available here yet: remove the
        app and create it again with the new settings.
      </p>
      <DangerZone app={app.name} />
    </div>
  )
}

type Row = [label: string, value: ReactNode]

function Properties({ rows }: { rows: Row[] }) {
  return (
    <dl className="properties">
      {rows.map(([label, value]) => (
        <div key={label} className="property">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  )
}

function DomainsPanel({ app }: { app: AppSummary }) {
  const urls = useAppUrls(app)
  return (
    <Panel title="Domains and certificates">
      {urls.length === 0 ? (
        <p className="muted">No domain, and the server is not reached by IP address for an sslip.io name.</p>
      ) : (
        <ul className="domain-list">
          {urls.map((url) => (
            <li key={url.host} className="domain-row">
              <span className="mono domain-host">{url.host}</span>
              <span className={`chip ${url.https ? 'chip-success' : ''}`}>
                {url.https ? 'HTTPS' : 'HTTP only'}
              </span>
              <span className="muted domain-cert">
                {url.https
                  ? 'Certificate from Let’s Encrypt, requested by the server’s reverse proxy on the first HTTPS request. Its state is not checked from here; HTTP requests are redirected to HTTPS.'
                  : 'No certificate: served over plain HTTP, as written (http://).'}
                {url.generated && ' An sslip.io name, which resolves to the server’s IP address by itself.'}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Panel>
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

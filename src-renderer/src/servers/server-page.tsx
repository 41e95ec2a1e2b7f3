import { useState } from 'react'
import type { ServerSummary } from '../../../src-main/api/contract'
import { ServerAppsPanel } from '../apps/server-apps-panel'
import { ServerMetrics } from '../metrics/metrics-panel'
import { RelayInstallPanel } from '../push/relay-install-panel'
import { href, navigate } from '../shell/router'
import { Button, LinkButton } from '../ui/button'
import { ConfirmRemoveDialog } from '../ui/dialog'
import { ErrorNote } from '../ui/error-note'
import { AUTH_LABELS, PROXY_LABELS, formatDate, location } from '../ui/format'
import { RefreshIcon, RocketIcon, TerminalIcon, TrashIcon } from '../ui/icons'
import { PageHeader } from '../ui/page-header'
import { Panel } from '../ui/panel'
import { Properties, type PropertyRow } from '../ui/properties'
import { openTerminal } from '../terminals/terminals-store'
import { Fingerprint } from './fingerprint'
import { FactsList } from './server-facts'
import { selectServer, useServers } from './servers-store'

export function ServerPage({ name }: { name: string }) {
  const loaded = useServers((state) => state.servers !== null)
  const server = useServers(selectServer(name))
  const [confirming, setConfirming] = useState(false)

  if (!loaded) return <p className="muted">Loading…</p>
  if (!server) return <UnknownServer name={name} />
  return (
    <>
      <PageHeader
        title={server.name}
        description={<span className="mono">{location(server)}</span>}
        actions={
          <>
            <LinkButton
              variant="primary"
              href={href({ page: 'provision', name: server.name })}
              icon={<RocketIcon />}
            >
              Provision
            </LinkButton>
            <Button
              icon={<TerminalIcon />}
              onClick={() => openTerminal({ kind: 'server', server: server.name })}
            >
              Open terminal
            </Button>
            <Button variant="ghost" icon={<TrashIcon />} onClick={() => setConfirming(true)}>
              Remove
            </Button>
          </>
        }
      />
      <div className="detail-grid">
        <ConnectionPanel server={server} />
        <ProxyPanel server={server} />
        <FactsPanel server={server} />
        <ServerAppsPanel server={server.name} />
      </div>
      <ServerMetrics server={server.name} />
      <RelayInstallPanel server={server.name} />
      {confirming && <RemoveDialog server={server} onClose={() => setConfirming(false)} />}
    </>
  )
}

function ConnectionPanel({ server }: { server: ServerSummary }) {
  const user: PropertyRow = ['User', <span className="mono">{server.user}</span>]
  const added: PropertyRow = ['Added', formatDate(server.createdAt)]
  const rows: PropertyRow[] =
    server.auth === 'local'
      ? [['Where', 'This computer, without SSH'], user, added]
      : [
          ['Host', <span className="mono">{server.host}</span>],
          ['Port', <span className="mono">{server.port}</span>],
          user,
          ['Authentication', AUTH_LABELS[server.auth]],
          ['Host key', <Fingerprint value={server.hostKeyFingerprint} />],
          added,
        ]
  return (
    <Panel title="Connection">
      <Properties rows={rows} />
    </Panel>
  )
}

/** What runs on the server as this computer last read it (provisioning, a check, a connection). */
function ProxyPanel({ server }: { server: ServerSummary }) {
  const { proxy } = server
  if (!proxy) {
    return (
      <Panel title="Reverse proxy">
        <p className="muted">
          <strong className="proxy-missing">Not provisioned.</strong> No reverse proxy of Helvetia’s was
          running when this server was last read. Provisioning installs Docker and one; it changes only what
          is missing.
        </p>
        <LinkButton
          variant="secondary"
          href={href({ page: 'provision', name: server.name })}
          icon={<RocketIcon />}
        >
          Provision
        </LinkButton>
      </Panel>
    )
  }
  return (
    <Panel title="Reverse proxy">
      <Properties
        rows={[
          ['Proxy', PROXY_LABELS[proxy.kind]],
          ['HTTP port', <span className="mono">{proxy.httpPort}</span>],
          ['HTTPS port', <span className="mono">{proxy.httpsPort}</span>],
          ["Let's Encrypt email", proxy.acmeEmail ? 'Set' : 'Not set'],
          ['Last read', formatDate(proxy.checkedAt)],
        ]}
      />
    </Panel>
  )
}

function FactsPanel({ server }: { server: ServerSummary }) {
  const task = useServers((state) => state.facts[server.id])
  const check = (): void => void useServers.getState().check(server)
  return (
    <Panel
      title="Server facts"
      actions={
        <Button icon={<RefreshIcon />} busy={task?.status === 'running'} onClick={check}>
          {task?.status === 'running' ? 'Checking…' : 'Check'}
        </Button>
      }
    >
      {task === undefined && (
        <p className="muted">Check connects to the server and reads its system, Docker and free resources.</p>
      )}
      {task?.status === 'running' && <p className="muted">Reading its facts…</p>}
      {task?.status === 'failed' && (
        <ErrorNote
          failure={task.failure}
          actions={
            <Button variant="secondary" onClick={check}>
              Retry
            </Button>
          }
        />
      )}
      {task?.status === 'done' && <FactsList facts={task.value} />}
    </Panel>
  )
}

function RemoveDialog({ server, onClose }: { server: ServerSummary; onClose(): void }) {
  return (
    <ConfirmRemoveDialog
      title={`Remove ${server.name}?`}
      action="Remove server"
      onConfirm={async () => {
        await useServers.getState().remove(server)
        navigate({ page: 'servers' })
      }}
      onClose={onClose}
    >
      <p>
        Helvetia forgets this server and deletes its key and passphrase from this computer’s keychain. Nothing
        on the server itself changes.
      </p>
    </ConfirmRemoveDialog>
  )
}

function UnknownServer({ name }: { name: string }) {
  return (
    <PageHeader
      title="No such server"
      description={`There is no server named “${name}”. It may have been removed.`}
      actions={
        <LinkButton variant="primary" href={href({ page: 'servers' })}>
          All servers
        </LinkButton>
      }
    />
  )
}

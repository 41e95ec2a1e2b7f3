import type { ServerSummary } from '../../../src-main/api/contract'
import { href } from '../shell/router'
import { LinkButton } from '../ui/button'
import { AUTH_LABELS, describeProxy, location } from '../ui/format'
import { PlusIcon, RocketIcon, ServerIcon } from '../ui/icons'
import { PageHeader } from '../ui/page-header'
import { EmptyState } from '../ui/panel'
import { Fingerprint } from './fingerprint'
import { useServers } from './servers-store'

export function ServerListPage() {
  const servers = useServers((state) => state.servers)
  const connect = (
    <LinkButton variant="primary" href={href({ page: 'connect' })} icon={<PlusIcon />}>
      Connect a server
    </LinkButton>
  )
  return (
    <>
      <PageHeader
        title="Servers"
        description="Linux machines you reach over SSH. Helvetia installs Docker and a reverse proxy on them, then runs your apps there."
        actions={servers?.length ? connect : undefined}
      />
      {servers === null ? (
        <p className="muted" aria-busy="true">
          Loading servers…
        </p>
      ) : servers.length === 0 ? (
        <EmptyState icon={<ServerIcon />} title="No servers yet" testId="no-servers">
          <p className="muted">
            Connect any Linux server you can SSH into: a VPS, a cloud instance or the box under your desk.
          </p>
          {connect}
        </EmptyState>
      ) : (
        <ul className="server-grid" aria-label="Servers">
          {servers.map((server) => (
            <ServerCard key={server.id} server={server} />
          ))}
        </ul>
      )}
    </>
  )
}

function ServerCard({ server }: { server: ServerSummary }) {
  return (
    <li className="panel link-card server-card">
      <div className="server-card-head">
        <span className="server-card-icon">
          <ServerIcon />
        </span>
        <div className="server-card-title">
          {/* The name is the card's link; a pseudo-element stretches it over the whole card. */}
          <a className="stretched-link" href={href({ page: 'server', name: server.name })}>
            {server.name}
          </a>
          <span className="mono muted">{location(server)}</span>
        </div>
        {server.auth !== 'local' && <span className="chip">{AUTH_LABELS[server.auth]}</span>}
      </div>
      {server.auth !== 'local' && <Fingerprint value={server.hostKeyFingerprint} compact />}
      <div className="server-card-proxy">
        <span className={server.proxy ? undefined : 'proxy-missing'}>{describeProxy(server.proxy)}</span>
        {!server.proxy && (
          // Above the card's stretched link, so it stays a link of its own.
          <LinkButton
            className="card-action"
            href={href({ page: 'provision', name: server.name })}
            icon={<RocketIcon />}
            aria-label={`Provision ${server.name}`}
          >
            Provision
          </LinkButton>
        )}
      </div>
    </li>
  )
}

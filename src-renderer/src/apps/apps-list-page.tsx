import type { AppSummary } from '../../../src-main/api/contract'
import { useServers } from '../servers/servers-store'
import { href } from '../shell/router'
import { LinkButton } from '../ui/button'
import { AppIcon, PlusIcon } from '../ui/icons'
import { PageHeader } from '../ui/page-header'
import { EmptyState } from '../ui/panel'
import { useUpdate } from '../catalog/upgrade-dialog'
import { describeSource } from './app-format'
import { useAppUrls } from './use-app-urls'
import { useApps } from './apps-store'
import { StatusPill } from './status-pill'
import { useAppState } from './use-app-state'

export function AppsListPage() {
  const apps = useApps((state) => state.apps)
  const hasServers = useServers((state) => (state.servers?.length ?? 0) > 0)
  const newApp = (
    <LinkButton variant="primary" href={href({ page: 'new-app' })} icon={<PlusIcon />}>
      New app
    </LinkButton>
  )
  return (
    <>
      <PageHeader
        title="Apps"
        description="Your apps, each built and run on one of your servers behind its reverse proxy."
        actions={apps?.length ? newApp : undefined}
      />
      {apps === null ? (
        <p className="muted" aria-busy="true">
          Loading apps…
        </p>
      ) : apps.length === 0 ? (
        <EmptyState icon={<AppIcon />} title="No apps yet" testId="no-apps">
          <p className="muted">
            {hasServers
              ? 'Create an app from a folder with a Dockerfile or from a git repository, then deploy it to one of your servers.'
              : 'Apps run on your servers: connect one first, then create an app on it.'}
          </p>
          {hasServers ? (
            newApp
          ) : (
            <LinkButton variant="primary" href={href({ page: 'connect' })} icon={<PlusIcon />}>
              Connect a server
            </LinkButton>
          )}
        </EmptyState>
      ) : (
        <ul className="app-grid" aria-label="Apps">
          {apps.map((app) => (
            <AppCard key={app.name} app={app} />
          ))}
        </ul>
      )}
    </>
  )
}

export function AppCard({ app }: { app: AppSummary }) {
  const state = useAppState(app.name)
  const [url] = useAppUrls(app)
  const update = useUpdate(app)
  return (
    <li className="panel link-card app-card">
      <div className="app-card-head">
        <a className="stretched-link" href={href({ page: 'app', name: app.name, tab: 'overview' })}>
          {app.name}
        </a>
        {state ? <StatusPill state={state} /> : <span className="muted">Reading status…</span>}
      </div>
      <dl className="app-card-facts">
        <div>
          <dt>Server</dt>
          <dd>{app.server}</dd>
        </div>
        <div>
          <dt>Source</dt>
          <dd className="mono">{describeSource(app.source)}</dd>
        </div>
        <div>
          <dt>Address</dt>
          <dd className="mono">{url ? url.url : 'No domain yet'}</dd>
        </div>
      </dl>
      {app.envPending && <span className="chip chip-warning">Env changes not deployed</span>}
      {app.settingsPending && <span className="chip chip-warning">Settings changes not deployed</span>}
      {update && <span className="chip chip-info">Update available: {update}</span>}
    </li>
  )
}

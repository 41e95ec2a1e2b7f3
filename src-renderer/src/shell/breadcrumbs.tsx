import { href, type AppTab, type Route } from './router'

interface Crumb {
  label: string
  route: Route
}

export const TAB_LABELS: Record<AppTab, string> = {
  overview: 'Overview',
  services: 'Services',
  processes: 'Processes',
  deployments: 'Deployments',
  logs: 'Logs',
  env: 'Environment',
  metrics: 'Metrics',
  settings: 'Settings',
}

function trail(route: Route): Crumb[] {
  const servers: Crumb = { label: 'Servers', route: { page: 'servers' } }
  const apps: Crumb = { label: 'Apps', route: { page: 'apps' } }
  const databases: Crumb = { label: 'Databases', route: { page: 'databases' } }
  const catalog: Crumb = { label: 'Catalogue', route: { page: 'catalog' } }
  switch (route.page) {
    case 'servers':
      return [servers]
    case 'connect':
      return [servers, { label: 'Connect a server', route }]
    case 'server':
      return [servers, { label: route.name, route }]
    case 'provision':
      return [
        servers,
        { label: route.name, route: { page: 'server', name: route.name } },
        { label: 'Provision', route },
      ]
    case 'apps':
      return [apps]
    case 'new-app':
      return [apps, { label: 'New app', route }]
    case 'app': {
      const app = { label: route.name, route: { page: 'app', name: route.name, tab: 'overview' } } as const
      return route.tab === 'overview' ? [apps, app] : [apps, app, { label: TAB_LABELS[route.tab], route }]
    }
    case 'deployment':
      return [
        apps,
        { label: route.app, route: { page: 'app', name: route.app, tab: 'overview' } },
        { label: 'Deployments', route: { page: 'app', name: route.app, tab: 'deployments' } },
        { label: route.id, route },
      ]
    case 'service':
      return [
        apps,
        { label: route.app, route: { page: 'app', name: route.app, tab: 'overview' } },
        { label: 'Services', route: { page: 'app', name: route.app, tab: 'services' } },
        { label: route.service, route },
      ]
    case 'catalog':
      return [catalog]
    case 'template':
      return [catalog, { label: route.id, route }]
    case 'terminals':
      return [{ label: 'Terminals', route }]
    case 'databases':
      return [databases]
    case 'new-database':
      return [databases, { label: 'New database', route }]
    case 'database':
      return [databases, { label: route.name, route }]
    case 'backup-targets':
      return [databases, { label: 'Backup targets', route }]
    case 'welcome':
      return [{ label: 'Welcome', route }]
    case 'not-found':
      return [{ label: 'Not found', route }]
  }
}

export function Breadcrumbs({ route }: { route: Route }) {
  const crumbs = trail(route)
  return (
    <nav className="breadcrumbs" aria-label="Breadcrumb">
      <ol>
        {crumbs.map((crumb, index) =>
          index === crumbs.length - 1 ? (
            <li key={index}>
              <span aria-current="page">{crumb.label}</span>
            </li>
          ) : (
            <li key={index}>
              <a href={href(crumb.route)}>{crumb.label}</a>
            </li>
          ),
        )}
      </ol>
    </nav>
  )
}

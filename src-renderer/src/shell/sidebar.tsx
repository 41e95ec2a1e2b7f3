import { useApps } from '../apps/apps-store'
import { GettingStartedLink } from '../onboarding/getting-started-link'
import { useServers } from '../servers/servers-store'
import { useSession } from '../session-store'
import { useDatabases } from '../databases/databases-store'
import { AppIcon, CatalogIcon, DatabaseIcon, PlusIcon, ServerIcon } from '../ui/icons'
import { Brand } from './brand'
import { href, type Route } from './router'

const FACES = { desktop: 'Desktop app', web: 'Browser dashboard', cli: 'Command line', test: 'Test' } as const

/**
 * The global navigation. On wide screens a column beside the content; on narrow ones the menu that
 * the top bar's button opens. `onNavigate` closes that menu.
 */
export function Sidebar({ route, id, onNavigate }: { route: Route; id: string; onNavigate(): void }) {
  const servers = useServers((state) => state.servers)
  const info = useSession((state) => state.info)
  const current = route.page === 'server' || route.page === 'provision' ? route.name : null
  const apps = useApps((state) => state.apps)
  const currentApp =
    route.page === 'app'
      ? route.name
      : route.page === 'deployment' || route.page === 'service'
        ? route.app
        : null
  const databases = useDatabases((state) => state.databases)
  return (
    <aside className="sidebar" id={id}>
      <div className="sidebar-brand">
        <Brand />
      </div>
      <nav
        className="nav"
        aria-label="Main"
        onClick={(event) => (event.target as Element).closest('a') && onNavigate()}
      >
        <a
          className="nav-item"
          href={href({ page: 'servers' })}
          aria-current={route.page === 'servers' ? 'page' : undefined}
        >
          <ServerIcon />
          <span>Servers</span>
          {servers && <span className="nav-count">{servers.length}</span>}
        </a>
        {servers && servers.length > 0 && (
          <ul className="nav-sublist">
            {servers.map((server) => (
              <li key={server.id}>
                <a
                  className="nav-subitem"
                  href={href({ page: 'server', name: server.name })}
                  aria-current={current === server.name ? 'page' : undefined}
                >
                  {server.name}
                </a>
              </li>
            ))}
          </ul>
        )}
        <a
          className="nav-item"
          href={href({ page: 'apps' })}
          aria-current={route.page === 'apps' ? 'page' : undefined}
        >
          <AppIcon />
          <span>Apps</span>
          {apps && <span className="nav-count">{apps.length}</span>}
        </a>
        {apps && apps.length > 0 && (
          <ul className="nav-sublist">
            {apps.map((app) => (
              <li key={app.name}>
                <a
                  className="nav-subitem"
                  href={href({ page: 'app', name: app.name, tab: 'overview' })}
                  aria-current={currentApp === app.name ? 'page' : undefined}
                >
                  {app.name}
                </a>
              </li>
            ))}
          </ul>
        )}
        <a
          className="nav-item"
          href={href({ page: 'databases' })}
          aria-current={route.page === 'databases' ? 'page' : undefined}
        >
          <DatabaseIcon />
          <span>Databases</span>
          {databases && <span className="nav-count">{databases.length}</span>}
        </a>
        <a
          className="nav-item"
          href={href({ page: 'catalog' })}
          aria-current={route.page === 'catalog' || route.page === 'template' ? 'page' : undefined}
        >
          <CatalogIcon />
          <span>Catalogue</span>
        </a>
        <a
          className="nav-item"
          href={href({ page: 'connect' })}
          aria-current={route.page === 'connect' ? 'page' : undefined}
        >
          <PlusIcon />
          <span>Connect a server</span>
        </a>
        <GettingStartedLink current={route.page === 'welcome'} />
      </nav>
      {info && (
        <p className="sidebar-footer">
          Helvetia {info.version} · {FACES[info.face]}
        </p>
      )}
    </aside>
  )
}

import { href, type Route } from './router'

interface Crumb {
  label: string
  route: Route
}

function trail(route: Route): Crumb[] {
  const servers: Crumb = { label: 'Servers', route: { page: 'servers' } }
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

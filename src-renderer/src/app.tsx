import { useEffect } from 'react'
import { ConnectPage } from './servers/wizard/connect-page'
import { ProvisionPage } from './servers/provision/provision-page'
import { ServerListPage } from './servers/server-list-page'
import { ServerPage } from './servers/server-page'
import { useServers } from './servers/servers-store'
import { useSession } from './session-store'
import { Brand } from './shell/brand'
import { href, useRoute, type Route } from './shell/router'
import { Shell } from './shell/shell'
import { LinkButton } from './ui/button'
import { PageHeader } from './ui/page-header'

export function App() {
  const connected = useSession((state) => state.api !== null)
  const fatal = useSession((state) => state.fatal)
  const route = useRoute()

  useEffect(() => (connected ? useServers.getState().watch() : undefined), [connected])

  if (fatal) {
    return (
      <div className="splash">
        <Brand />
        <section className="panel splash-panel" role="alert">
          <h1 className="splash-title">{fatal.message}</h1>
          {fatal.hint && <p>{fatal.hint}</p>}
        </section>
      </div>
    )
  }
  if (!connected) {
    return (
      <div className="splash" aria-busy="true">
        <Brand />
        <p className="muted">Connecting to Helvetia…</p>
      </div>
    )
  }
  return (
    <Shell route={route}>
      <Page route={route} />
    </Shell>
  )
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'servers':
      return <ServerListPage />
    case 'connect':
      return <ConnectPage />
    case 'server':
      return <ServerPage key={route.name} name={route.name} />
    case 'provision':
      return <ProvisionPage key={route.name} name={route.name} />
    case 'not-found':
      return (
        <PageHeader
          title="Nothing here"
          description="This address does not lead to a page of Helvetia."
          actions={
            <LinkButton variant="primary" href={href({ page: 'servers' })}>
              Go to servers
            </LinkButton>
          }
        />
      )
  }
}

import { useEffect } from 'react'
import { AppPage } from './apps/app-page'
import { AppsListPage } from './apps/apps-list-page'
import { useApps } from './apps/apps-store'
import { DeploymentPage } from './apps/deployment-page'
import { ServicePage } from './apps/service-page'
import { CatalogPage } from './catalog/catalog-page'
import { useCatalog } from './catalog/catalog-store'
import { TemplatePage } from './catalog/template-page'
import { BackupTargetsPage } from './databases/backup-targets-page'
import { DatabasePage } from './databases/database-page'
import { DatabasesListPage } from './databases/databases-list-page'
import { useDatabases } from './databases/databases-store'
import { NewDatabasePage } from './databases/new-database-page'
import { NewAppPage } from './apps/new-app-page'
import { useFirstRunWelcome } from './onboarding/first-run'
import { WelcomePage } from './onboarding/welcome-page'
import { ConnectPage } from './servers/wizard/connect-page'
import { ProvisionPage } from './servers/provision/provision-page'
import { ServerListPage } from './servers/server-list-page'
import { ServerPage } from './servers/server-page'
import { useServers } from './servers/servers-store'
import { useSession } from './session-store'
import { Brand } from './shell/brand'
import { href, useRoute, type Route } from './shell/router'
import { Shell } from './shell/shell'
import { TerminalsPage } from './terminals/terminals-page'
import { LinkButton } from './ui/button'
import { PageHeader } from './ui/page-header'

export function App() {
  const connected = useSession((state) => state.api !== null)
  const fatal = useSession((state) => state.fatal)
  const route = useRoute()

  useEffect(() => (connected ? useServers.getState().watch() : undefined), [connected])
  useEffect(() => (connected ? useApps.getState().watch() : undefined), [connected])
  // Read once at start (the sidebar's count, the apps' linked databases); each databases page reads again.
  useEffect(() => void (connected && useDatabases.getState().refresh()), [connected])
  // The catalogue ships inside the app: read once for the palette and the apps' "update available".
  useEffect(() => void (connected && useCatalog.getState().refresh()), [connected])
  useFirstRunWelcome()

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
    case 'apps':
      return <AppsListPage />
    case 'new-app':
      return <NewAppPage key={route.server ?? ''} server={route.server} />
    case 'app':
      return <AppPage key={route.name} name={route.name} tab={route.tab} />
    case 'deployment':
      return <DeploymentPage key={`${route.app}/${route.id}`} app={route.app} id={route.id} />
    case 'service':
      return <ServicePage key={`${route.app}/${route.service}`} app={route.app} service={route.service} />
    case 'catalog':
      return <CatalogPage />
    case 'template':
      return <TemplatePage key={route.id} id={route.id} />
    // Pages still being built show the not-found page until they land.
    case 'welcome':
      return <WelcomePage />
    case 'terminals':
      return <TerminalsPage />
    case 'databases':
      return <DatabasesListPage />
    case 'new-database':
      return <NewDatabasePage key={route.server ?? ''} server={route.server} />
    case 'database':
      return <DatabasePage key={route.name} name={route.name} />
    case 'backup-targets':
      return <BackupTargetsPage />
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

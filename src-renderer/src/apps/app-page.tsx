import { useEffect, useState } from 'react'
import type { AppSummary } from '../../../src-main/api/contract'
import { AppMetrics } from '../metrics/metrics-panel'
import { TAB_LABELS } from '../shell/breadcrumbs'
import { APP_TABS, href, navigate, type AppTab } from '../shell/router'
import { Button, LinkButton } from '../ui/button'
import { RocketIcon, RollbackIcon, TerminalIcon } from '../ui/icons'
import { openTerminal } from '../terminals/terminals-store'
import { PageHeader } from '../ui/page-header'
import { AppOverview } from './app-overview'
import { selectApp, useApps } from './apps-store'
import { DeploymentsTab } from './deployments-tab'
import { EnvTab } from './env-tab'
import { LogsTab } from './logs-tab'
import { ProcessesTab } from './processes-tab'
import { ServicesTab } from './services-tab'
import { RollbackDialog, rollbackTarget } from './rollback-dialog'
import { SettingsTab } from './settings-tab'
import { StatusPill } from './status-pill'
import { useAppState } from './use-app-state'

export function AppPage({ name, tab }: { name: string; tab: AppTab }) {
  const loaded = useApps((state) => state.apps !== null)
  const app = useApps(selectApp(name))
  const state = useAppState(name)

  // The history backs the overview, the rollback target and the deployments tab.
  useEffect(() => {
    if (app) void useApps.getState().refreshHistory(name)
  }, [name, app])

  if (!loaded) return <p className="muted">Loading…</p>
  if (!app) return <UnknownApp name={name} />
  return (
    <>
      <PageHeader
        title={app.name}
        description={
          <span className="app-heading-line">
            {state && <StatusPill state={state} />}
            <span>
              on <a href={href({ page: 'server', name: app.server })}>{app.server}</a>
            </span>
          </span>
        }
        actions={<AppActions app={app} />}
      />
      <nav className="tabs" aria-label="App sections">
        {appTabs(app).map((t) => (
          <a
            key={t}
            className="tab"
            href={href({ page: 'app', name, tab: t })}
            aria-current={t === tab ? 'page' : undefined}
          >
            {TAB_LABELS[t]}
          </a>
        ))}
      </nav>
      <TabContent app={app} tab={tab} />
    </>
  )
}

/** A compose app has services, any other app process types: one tab or the other. */
const appTabs = (app: AppSummary): AppTab[] =>
  APP_TABS.filter((tab) => tab !== (app.spec.compose ? 'processes' : 'services'))

function TabContent({ app, tab }: { app: AppSummary; tab: AppTab }) {
  switch (tab) {
    case 'overview':
      return <AppOverview app={app} />
    // Either address shows the app's own kind of parts (a service page's trail leads to `services`).
    case 'services':
    case 'processes':
      return app.spec.compose ? <ServicesTab app={app.name} /> : <ProcessesTab app={app.name} />
    case 'deployments':
      return <DeploymentsTab app={app.name} />
    case 'logs':
      return <LogsTab app={app.name} />
    case 'env':
      return <EnvTab app={app.name} />
    case 'settings':
      return <SettingsTab app={app} />
    case 'metrics':
      return <AppMetrics app={app.name} />
  }
}

/** Deploy and roll back from any section; the progress shows on the overview. */
function AppActions({ app }: { app: AppSummary }) {
  const running = useApps((state) => state.runs[app.name]?.status === 'running')
  const history = useApps((state) => state.histories[app.name])
  const target = history?.status === 'done' ? rollbackTarget(history.value) : undefined
  const [confirming, setConfirming] = useState(false)
  const deploy = (): void => {
    useApps.getState().deploy(app.name)
    navigate({ page: 'app', name: app.name, tab: 'overview' })
  }
  return (
    <>
      <Button variant="primary" icon={<RocketIcon />} busy={running} onClick={deploy}>
        {running ? 'Deploying…' : 'Deploy'}
      </Button>
      <Button
        icon={<RollbackIcon />}
        disabled={!target || running}
        title={target ? undefined : 'There is no earlier successful deployment to go back to.'}
        onClick={() => setConfirming(true)}
      >
        Roll back
      </Button>
      <Button icon={<TerminalIcon />} onClick={() => openTerminal({ kind: 'container', app: app.name })}>
        Open terminal
      </Button>
      {confirming && target && (
        <RollbackDialog app={app.name} target={target} onClose={() => setConfirming(false)} />
      )}
    </>
  )
}

function UnknownApp({ name }: { name: string }) {
  return (
    <PageHeader
      title="No such app"
      description={`There is no app named “${name}”. It may have been removed.`}
      actions={
        <LinkButton variant="primary" href={href({ page: 'apps' })}>
          All apps
        </LinkButton>
      }
    />
  )
}

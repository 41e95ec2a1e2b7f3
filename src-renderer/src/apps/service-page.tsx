import { useMemo } from 'react'
import { runtimeLogFeed } from '../logs/log-feed'
import { LogView } from '../logs/log-view'
import { AppMetrics } from '../metrics/metrics-panel'
import { api } from '../session-store'
import { href } from '../shell/router'
import { openTerminal } from '../terminals/terminals-store'
import { Button } from '../ui/button'
import { TerminalIcon } from '../ui/icons'
import { PageHeader } from '../ui/page-header'
import { Panel } from '../ui/panel'
import { selectApp, useApps } from './apps-store'
import './ship.css'

const TAIL = 500

/** One service of a compose app (or one process type): its log, its metrics and a terminal in it. */
export function ServicePage({ app, service }: { app: string; service: string }) {
  const summary = useApps(selectApp(app))
  const feed = useMemo(() => runtimeLogFeed(api(), app, { tail: TAIL, service }), [app, service])
  const what = summary?.spec.compose ? 'Service' : 'Process type'
  return (
    <>
      <PageHeader
        title={service}
        description={
          <>
            {what} of <a href={href({ page: 'app', name: app, tab: 'overview' })}>{app}</a>
          </>
        }
        actions={
          <Button icon={<TerminalIcon />} onClick={() => openTerminal({ kind: 'container', app, service })}>
            Open terminal
          </Button>
        }
      />
      <div className="stack">
        <Panel title="Log">
          <p className="muted logs-intro">
            The last {TAIL} lines of {service}, then new ones as it writes them.
          </p>
          <div className="deploy-log">
            <LogView feed={feed} label={`Log of ${service} in ${app}`} follow />
          </div>
        </Panel>
        <AppMetrics app={app} service={service} />
      </div>
    </>
  )
}

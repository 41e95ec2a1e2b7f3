import { useMemo } from 'react'
import { runtimeLogFeed } from '../logs/log-feed'
import { LogView } from '../logs/log-view'
import { api } from '../session-store'
import { href } from '../shell/router'
import { PageHeader } from '../ui/page-header'
import { Panel } from '../ui/panel'
import { selectApp, useApps } from './apps-store'
import './ship.css'

const TAIL = 500

/**
 * One service of a compose app (or one process type): its log. Its own metrics and a terminal in it are
 * not built yet (the core refuses them rather than answer for the whole app).
 */
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
      </div>
    </>
  )
}

import { useMemo } from 'react'
import { runtimeLogFeed } from '../logs/log-feed'
import { LogView } from '../logs/log-view'
import { api } from '../session-store'
import { Panel } from '../ui/panel'

const TAIL = 500

/** The live container's output: its last lines, then new ones as they come. */
export function LogsTab({ app }: { app: string }) {
  const feed = useMemo(() => runtimeLogFeed(api(), app, { tail: TAIL }), [app])
  return (
    <Panel title="Runtime log">
      <p className="muted logs-intro">
        The last {TAIL} lines of the live container, then new ones as it writes them.
      </p>
      <div className="deploy-log">
        <LogView feed={feed} label={`Runtime log of ${app}`} follow />
      </div>
    </Panel>
  )
}

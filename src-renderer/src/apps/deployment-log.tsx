import { useMemo } from 'react'
import { deploymentLogFeed } from '../logs/log-feed'
import { LogView } from '../logs/log-view'
import { api } from '../session-store'

/** A deployment's whole log in the log viewer; `follow` starts it at the live end rather than the top. */
export function DeploymentLog({ app, id, follow = true }: { app: string; id: string; follow?: boolean }) {
  // One feed per deployment: a new feed object would restart the stream.
  const feed = useMemo(() => deploymentLogFeed(api(), app, id), [app, id])
  return <LogView feed={feed} label={`Log of deployment ${id}`} follow={follow} />
}

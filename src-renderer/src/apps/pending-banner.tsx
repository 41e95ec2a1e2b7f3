import type { ReactNode } from 'react'
import { navigate } from '../shell/router'
import { Button } from '../ui/button'
import { AlertIcon, RocketIcon } from '../ui/icons'
import { useApps } from './apps-store'

/** Saved changes the running version does not have yet, and the deploy that applies them. */
export function PendingBanner({ app, title, children }: { app: string; title: string; children: ReactNode }) {
  const running = useApps((state) => state.runs[app]?.status === 'running')
  return (
    <div className="note note-warning pending-banner" role="status">
      <AlertIcon />
      <div className="note-body">
        <p className="note-title">{title}</p>
        <p>{children}</p>
        <div className="note-actions">
          <Button
            variant="primary"
            icon={<RocketIcon />}
            busy={running}
            onClick={() => {
              useApps.getState().deploy(app)
              navigate({ page: 'app', name: app, tab: 'overview' })
            }}
          >
            {running ? 'Deploying…' : 'Deploy now'}
          </Button>
        </div>
      </div>
    </div>
  )
}

import { useEffect, useState, type ReactNode } from 'react'
import { href } from '../shell/router'
import { Button, LinkButton } from '../ui/button'
import { ErrorNote } from '../ui/error-note'
import { RollbackIcon } from '../ui/icons'
import { PageHeader } from '../ui/page-header'
import { Panel } from '../ui/panel'
import { deploymentDuration } from './app-format'
import { DeploymentProperties } from './app-overview'
import { selectApp, useApps } from './apps-store'
import { DeployFailure } from './deploy-progress'
import { DeploymentLog } from './deployment-log'
import { RollbackDialog } from './rollback-dialog'

/** One deployment: its record, its whole log, and going back to it. */
export function DeploymentPage({ app, id }: { app: string; id: string }) {
  const known = useApps(selectApp(app)) !== undefined
  const history = useApps((state) => state.histories[app])
  const running = useApps((state) => state.runs[app]?.status === 'running')
  const [confirming, setConfirming] = useState(false)

  useEffect(() => {
    if (known) void useApps.getState().refreshHistory(app)
  }, [app, known])

  const value = history?.status === 'done' ? history.value : null
  const deployment = value?.deployments.find((d) => d.id === id)
  const live = value?.current === id
  const canRollBack = deployment?.status === 'succeeded' && !live
  return (
    <>
      <PageHeader
        title={`Deployment ${id}`}
        description={
          <>
            of <a href={href({ page: 'app', name: app, tab: 'overview' })}>{app}</a>
            {live && ' · live now'}
          </>
        }
        actions={
          canRollBack ? (
            <Button
              variant="primary"
              icon={<RollbackIcon />}
              disabled={running}
              onClick={() => setConfirming(true)}
            >
              Roll back to this
            </Button>
          ) : (
            <LinkButton href={href({ page: 'app', name: app, tab: 'deployments' })}>
              All deployments
            </LinkButton>
          )
        }
      />
      <div className="stack">
        <Panel title="Record">
          {history?.status === 'failed' ? (
            <ErrorNote failure={history.failure} />
          ) : !value ? (
            <p className="muted">Reading the record from the server…</p>
          ) : !deployment ? (
            <p className="muted">
              The server has no deployment {id} of {app}.
            </p>
          ) : (
            <>
              <DeploymentProperties
                app={app}
                deployment={deployment}
                extra={[
                  ['Status', `${deployment.status}${live ? ' (live)' : ''}`],
                  ['Duration', deploymentDuration(deployment) ?? 'Still running'],
                  ...(deployment.image
                    ? [['Image', <span className="mono">{deployment.image}</span>] as [string, ReactNode]]
                    : []),
                ]}
              />
              {deployment.status === 'failed' && (
                <DeployFailure deployment={deployment} stillLive={value.current !== null} />
              )}
            </>
          )}
        </Panel>
        <Panel title="Log">
          {/* Once the record is read: a finished log opens at its start, a running one at its live end. */}
          {value || history?.status === 'failed' ? (
            <DeploymentLog app={app} id={id} follow={!deployment?.finishedAt} />
          ) : (
            <p className="muted">Loading…</p>
          )}
        </Panel>
      </div>
      {confirming && deployment && (
        <RollbackDialog app={app} target={deployment} onClose={() => setConfirming(false)} />
      )}
    </>
  )
}

import { useState } from 'react'
import type { Deployment } from '../../../src-main/api/contract'
import { href } from '../shell/router'
import { Button } from '../ui/button'
import { ErrorNote } from '../ui/error-note'
import { formatDate } from '../ui/format'
import { RefreshIcon, RollbackIcon } from '../ui/icons'
import { Panel } from '../ui/panel'
import { deploymentDuration, describeDeploymentSource } from './app-format'
import { useApps } from './apps-store'
import { RollbackDialog } from './rollback-dialog'

const STATUS_BADGES: Record<Deployment['status'], string> = {
  queued: 'badge-running',
  running: 'badge-running',
  succeeded: 'badge-done',
  failed: 'badge-failed',
}

/** The app's deployments as its server records them, newest first. */
export function DeploymentsTab({ app }: { app: string }) {
  const history = useApps((state) => state.histories[app])
  const running = useApps((state) => state.runs[app]?.status === 'running')
  const [target, setTarget] = useState<Deployment | null>(null)
  const refresh = (): void => void useApps.getState().refreshHistory(app)
  return (
    <Panel
      title="Deployments"
      actions={
        <Button icon={<RefreshIcon />} onClick={refresh}>
          Refresh
        </Button>
      }
    >
      {history === undefined || history.status === 'running' ? (
        <p className="muted">Reading the history from the server…</p>
      ) : history.status === 'failed' ? (
        <ErrorNote failure={history.failure} />
      ) : history.value.deployments.length === 0 ? (
        <p className="muted">No deployments yet.</p>
      ) : (
        <div className="table-frame">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Deployment</th>
                <th scope="col">Trigger</th>
                <th scope="col">Source</th>
                <th scope="col">Started</th>
                <th scope="col">Duration</th>
                <th scope="col">Result</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {history.value.deployments.toReversed().map((deployment) => {
                const live = deployment.id === history.value.current
                return (
                  <tr key={deployment.id}>
                    <td>
                      <span className={`badge ${STATUS_BADGES[deployment.status]}`}>{deployment.status}</span>
                      {live && <span className="chip chip-success">live</span>}
                    </td>
                    <td>
                      <a className="mono" href={href({ page: 'deployment', app, id: deployment.id })}>
                        {deployment.id}
                      </a>
                    </td>
                    <td>{deployment.trigger}</td>
                    <td className="mono">{describeDeploymentSource(deployment)}</td>
                    <td>{formatDate(deployment.startedAt ?? deployment.createdAt)}</td>
                    <td>{deploymentDuration(deployment) ?? '…'}</td>
                    <td className="result-cell">
                      {deployment.error?.message ??
                        (deployment.status === 'succeeded' ? 'Live at its time' : '')}
                    </td>
                    <td>
                      {deployment.status === 'succeeded' && !live && (
                        <Button
                          icon={<RollbackIcon />}
                          disabled={running}
                          aria-label={`Roll back to ${deployment.id}`}
                          onClick={() => setTarget(deployment)}
                        >
                          Roll back
                        </Button>
                      )}
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
      {target && <RollbackDialog app={app} target={target} onClose={() => setTarget(null)} />}
    </Panel>
  )
}

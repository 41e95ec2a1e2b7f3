import type { ReactNode } from 'react'
import type { Deployment } from '../../../src-main/api/contract'
import { Button } from '../ui/button'
import { ErrorNote } from '../ui/error-note'
import { formatBytes } from '../ui/format'
import { CheckIcon } from '../ui/icons'
import { Panel } from '../ui/panel'
import { StepRow } from '../ui/step-row'
import { useApps, type DeployRun } from './apps-store'
import { DeploymentLog } from './deployment-log'

const RUN_LABELS: Record<DeployRun['status'], string> = {
  running: 'Running…',
  done: 'Finished',
  failed: 'Failed',
  stopped: 'No longer followed',
}

const KIND_TEXTS: Record<DeployRun['kind'], { title: string; starting: string }> = {
  deploy: { title: 'Deploy', starting: 'Sending the source…' },
  rollback: { title: 'Rollback', starting: 'Starting the rollback…' },
  upgrade: { title: 'Upgrade', starting: 'Rendering the new template version…' },
}

/** A deploy, rollback or upgrade started here: its steps as they report, its outcome, and its live log. */
export function DeployProgress({ app, run }: { app: string; run: DeployRun }) {
  const deployment = run.deployment
  const status = useApps((state) => state.statuses[app])
  const stillLive =
    status?.status === 'done' && status.value.live !== null && status.value.live.id !== deployment?.id
  const failedDeploy = deployment?.status === 'failed' ? deployment : null
  const badge = failedDeploy ? 'failed' : run.status
  const again = (
    <Button variant="primary" onClick={() => useApps.getState().deploy(app)}>
      Deploy again
    </Button>
  )
  return (
    <Panel
      title={KIND_TEXTS[run.kind].title}
      actions={
        <span className={`badge badge-${badge === 'stopped' ? 'stopped' : badge}`} role="status">
          {failedDeploy ? 'Failed' : RUN_LABELS[run.status]}
        </span>
      }
      className="deploy-progress"
    >
      {run.steps.length === 0 && run.status === 'running' && (
        <p className="muted">{KIND_TEXTS[run.kind].starting}</p>
      )}
      <ol className="steps" aria-label={`${KIND_TEXTS[run.kind].title} steps`}>
        {run.uploaded && (
          <StepRow
            state="done"
            label={`Sent ${run.uploaded.files} ${run.uploaded.files === 1 ? 'file' : 'files'} (${formatBytes(run.uploaded.sentBytes)} of ${formatBytes(run.uploaded.treeBytes)} new)`}
          />
        )}
        {run.steps
          .filter((step) => step.step !== 'deploy')
          .map((step) => (
            <StepRow key={step.step} state={step.status} label={step.message || step.step} />
          ))}
      </ol>
      {run.failure && <ErrorNote failure={run.failure} actions={again} />}
      {failedDeploy && <DeployFailure deployment={failedDeploy} stillLive={stillLive} actions={again} />}
      {deployment?.status === 'succeeded' && (
        <p className="note note-success" role="status">
          <CheckIcon />
          <span className="note-body">
            Deployment <span className="mono">{deployment.id}</span> is live.
          </span>
        </p>
      )}
      {run.status === 'stopped' && (
        <p className="note note-info">
          <span className="note-body">
            This window stopped following it; the deployment carries on on the server. Its log is under
            Deployments.
          </span>
        </p>
      )}
      {run.id && (
        <div className="deploy-log">
          <DeploymentLog app={app} id={run.id} />
        </div>
      )}
    </Panel>
  )
}

/** Why a deployment failed, that the previous version still serves, and the new container's last lines. */
export function DeployFailure({
  deployment,
  stillLive,
  actions,
}: {
  deployment: Deployment
  /** Whether an earlier version serves the app. */
  stillLive: boolean
  actions?: ReactNode
}) {
  const error = deployment.error
  return (
    <div className="note note-danger deploy-failure" role="alert">
      <div className="note-body">
        <p className="note-title">{error?.message ?? `Deployment ${deployment.id} failed.`}</p>
        {error?.hint && <p className="note-hint">{error.hint}</p>}
        <p className="note-hint">
          {stillLive
            ? 'The previous version is still live: nothing changed for your users. Fix the cause and deploy again.'
            : 'No earlier version was live, so the app is not serving yet. Fix the cause and deploy again.'}
        </p>
        {error?.code && <p className="note-code">{error.code}</p>}
        {error?.lastLines && (
          <>
            <p className="last-lines-title">Last lines of the new container</p>
            <pre className="log-text last-lines" tabIndex={0} aria-label="Last lines of the new container">
              {error.lastLines}
            </pre>
          </>
        )}
        {actions && <div className="note-actions">{actions}</div>}
      </div>
    </div>
  )
}

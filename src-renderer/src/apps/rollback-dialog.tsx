import type { AppHistory, Deployment } from '../../../src-main/api/contract'
import { navigate } from '../shell/router'
import { Button } from '../ui/button'
import { Dialog } from '../ui/dialog'
import { formatDate } from '../ui/format'
import { RollbackIcon } from '../ui/icons'
import { describeDeploymentSource } from './app-format'
import { useApps } from './apps-store'

/**
 * The deployment a plain rollback goes back to, as the core picks it (core/deploy/deployer.ts): the
 * newest successful one older than the live one. Named in the confirmation, then passed explicitly.
 */
export function rollbackTarget(history: AppHistory): Deployment | undefined {
  const { current } = history
  return history.deployments
    .filter((d) => d.status === 'succeeded' && d.id !== current && d.id < (current ?? '~'))
    .at(-1)
}

/** Asks before running `target`'s image again, naming it; then shows the progress on the overview. */
export function RollbackDialog({
  app,
  target,
  onClose,
}: {
  app: string
  target: Deployment
  onClose(): void
}) {
  const rollback = (): void => {
    useApps.getState().rollback(app, target.id)
    onClose()
    navigate({ page: 'app', name: app, tab: 'overview' })
  }
  return (
    <Dialog
      title={`Roll back ${app}?`}
      onClose={onClose}
      actions={
        <>
          <Button onClick={onClose} autoFocus>
            Cancel
          </Button>
          <Button variant="primary" icon={<RollbackIcon />} onClick={rollback}>
            Roll back to {target.id}
          </Button>
        </>
      }
    >
      <p>
        Runs the image of deployment <span className="mono">{target.id}</span> (
        {describeDeploymentSource(target)}, deployed {formatDate(target.finishedAt ?? target.createdAt)})
        again, without building. The switch has no downtime; the current env is used.
      </p>
    </Dialog>
  )
}

import { useEffect, useState } from 'react'
import type { AppSummary, UpgradePlan } from '../../../src-main/api/contract'
import { useApps } from '../apps/apps-store'
import { api } from '../session-store'
import { navigate } from '../shell/router'
import { Button } from '../ui/button'
import { Dialog } from '../ui/dialog'
import { ErrorNote } from '../ui/error-note'
import { RocketIcon } from '../ui/icons'
import { Properties } from '../ui/properties'
import { runTask, type Task } from '../ui/task'
import { diffLines, updateTo } from './catalog-format'
import { selectNewest, useCatalog } from './catalog-store'
import './catalog.css'

/** A catalogue app's newer template version, or null (not a catalogue app, up to date, or not read yet). */
export function useUpdate(app: AppSummary): string | null {
  const source = app.source
  const template = source.kind === 'catalog' ? source.template : ''
  const newest = useCatalog(selectNewest(template))
  const listed = useCatalog((state) => state.list !== undefined)
  useEffect(() => {
    if (template && !listed) void useCatalog.getState().refresh()
  }, [template, listed])
  return source.kind === 'catalog' ? updateTo(source.version, newest) : null
}

/** On a catalogue app's overview: the newer template version, and the way to it. */
export function UpdateNote({ app }: { app: AppSummary }) {
  const to = useUpdate(app)
  const [open, setOpen] = useState(false)
  if (app.source.kind !== 'catalog' || to === null) return null
  return (
    <>
      <div className="note note-info" role="status">
        <div className="note-body">
          <p className="note-title">
            Update available: {app.source.template} {app.source.version} → {to}
          </p>
          <p className="note-hint">
            The upgrade shows what changes first; it keeps the app’s secrets and volumes, and Roll back undoes
            it.
          </p>
          <div className="note-actions">
            <Button variant="primary" onClick={() => setOpen(true)}>
              Upgrade…
            </Button>
          </div>
        </div>
      </div>
      {open && <UpgradeDialog app={app.name} to={to} onClose={() => setOpen(false)} />}
    </>
  )
}

/** What the upgrade changes (the compose file's diff, the values kept and added), then the upgrade. */
export function UpgradeDialog({ app, to, onClose }: { app: string; to: string; onClose(): void }) {
  const [plan, setPlan] = useState<Task<UpgradePlan>>({ status: 'running' })
  useEffect(
    () => void runTask(() => api().call('catalog:upgrade-plan', { name: app, to }), setPlan),
    [app, to],
  )
  const upgrade = (): void => {
    useApps.getState().upgrade(app, to)
    onClose()
    navigate({ page: 'app', name: app, tab: 'overview' })
  }
  return (
    <Dialog
      title={`Upgrade ${app} to ${to}?`}
      className="dialog-wide"
      onClose={onClose}
      actions={
        <>
          <Button onClick={onClose} autoFocus>
            Cancel
          </Button>
          <Button variant="primary" icon={<RocketIcon />} disabled={plan.status !== 'done'} onClick={upgrade}>
            Upgrade
          </Button>
        </>
      }
    >
      {plan.status === 'running' ? (
        <p className="muted" aria-busy="true">
          Working out what changes…
        </p>
      ) : plan.status === 'failed' ? (
        <ErrorNote failure={plan.failure} />
      ) : (
        <PlanView plan={plan.value} />
      )}
    </Dialog>
  )
}

function PlanView({ plan }: { plan: UpgradePlan }) {
  const list = (names: string[]) => (names.length ? names.join(', ') : 'None')
  return (
    <div className="stack">
      <Properties
        rows={[
          ['Template', `${plan.template} ${plan.from} → ${plan.to}`],
          ['Values kept', list(plan.kept)],
          ['Values added', list(plan.added)],
          ['Volumes kept', list(plan.volumesKept)],
        ]}
      />
      <pre className="code-block" tabIndex={0} aria-label="Changes to the compose file">
        {diffLines(plan.diff).map((line, index) => (
          <span key={index} className={`diff-${line.kind}`}>
            {line.text}
            {'\n'}
          </span>
        ))}
      </pre>
      {plan.diff.trim() === '' && <p className="muted">The compose file does not change.</p>}
    </div>
  )
}

import { useEffect, useState } from 'react'
import type { BackupTarget } from '../../../src-main/api/contract'
import { api } from '../session-store'
import { Button } from '../ui/button'
import { ConfirmRemoveDialog } from '../ui/dialog'
import { ErrorNote } from '../ui/error-note'
import { TrashIcon } from '../ui/icons'
import { PageHeader } from '../ui/page-header'
import { Panel } from '../ui/panel'
import { AddTargetForm } from './add-target-form'
import { useDatabases } from './databases-store'
import './databases.css'

/** #/backup-targets: the S3-compatible buckets backups go to. */
export function BackupTargetsPage() {
  const targets = useDatabases((state) => state.targets)
  const [removing, setRemoving] = useState<BackupTarget | null>(null)
  const [unreachable, setUnreachable] = useState<string[]>([])
  useEffect(() => void useDatabases.getState().refreshTargets(), [])
  const reload = (): void => void useDatabases.getState().refreshTargets()
  return (
    <>
      <PageHeader
        title="Backup targets"
        description="S3-compatible buckets that databases are backed up to. The secret key stays in your keychain, and in a file only its owner reads on each server that uses it."
      />
      <div className="stack">
        <Panel title="Targets">
          {targets === undefined || (targets.status === 'running' && !('value' in targets)) ? (
            <p className="muted">Loading…</p>
          ) : targets.status === 'failed' ? (
            <ErrorNote failure={targets.failure} />
          ) : targets.status === 'done' && targets.value.length === 0 ? (
            <p className="muted">No target yet. Add one below.</p>
          ) : targets.status === 'done' ? (
            <ul className="env-list" aria-label="Backup targets">
              {targets.value.map((target) => (
                <li key={target.name} className="env-row">
                  <span className="env-key">{target.name}</span>
                  <span className="env-value mono">
                    {target.endpoint} · {target.bucket}
                    {target.prefix ? `/${target.prefix}` : ''}
                    {target.region ? ` · ${target.region}` : ''} · key {target.accessKeyId}
                  </span>
                  <span className="muted">
                    {target.servers.length ? `Used on ${target.servers.join(', ')}` : 'Not used yet'}
                  </span>
                  <span className="env-actions">
                    <Button
                      variant="ghost"
                      icon={<TrashIcon />}
                      aria-label={`Remove ${target.name}`}
                      onClick={() => setRemoving(target)}
                    />
                  </span>
                </li>
              ))}
            </ul>
          ) : null}
          {unreachable.length > 0 && (
            <p className="note note-warning" role="status">
              <span className="note-body">
                Removed, but these servers were unreachable and still hold its credentials file:{' '}
                {unreachable.join(', ')}.
              </span>
            </p>
          )}
        </Panel>
        <Panel title="Add a target">
          <AddTargetForm onAdded={reload} />
        </Panel>
      </div>
      {removing && (
        <ConfirmRemoveDialog
          title={`Remove ${removing.name}?`}
          action="Remove target"
          onClose={() => setRemoving(null)}
          onConfirm={async () => {
            const result = await api().call('backups:removeTarget', { name: removing.name })
            setUnreachable(result.unreachable)
            setRemoving(null)
            reload()
          }}
        >
          <p>
            Its secret key leaves the keychain and every server that holds it. The backups in the bucket stay;
            schedules that use it fail until they get another target.
          </p>
        </ConfirmRemoveDialog>
      )}
    </>
  )
}

import { useEffect, useState } from 'react'
import type { BackupInfo, DatabaseInfo } from '../../../src-main/api/contract'
import { timeAgo } from '../apps/app-format'
import { api } from '../session-store'
import { href } from '../shell/router'
import { Button } from '../ui/button'
import { ErrorNote } from '../ui/error-note'
import { SelectField } from '../ui/field'
import { formatDate } from '../ui/format'
import { RefreshIcon, ShieldIcon } from '../ui/icons'
import { Panel } from '../ui/panel'
import { Properties } from '../ui/properties'
import { HealthChip } from './database-state'
import { BackupsTable } from './backups-table'
import { useDatabases } from './databases-store'
import { RestoreDialog } from './restore-dialog'
import { useAction } from './use-action'

/** The database's backups: their health, "Back up now", and each backup with its checks and restores. */
export function BackupsPanel({ info }: { info: DatabaseInfo }) {
  const { name } = info
  const backups = useDatabases((state) => state.backups[name])
  const targets = useDatabases((state) => state.targets)
  const [target, setTarget] = useState('')
  const [restoring, setRestoring] = useState<BackupInfo | null>(null)
  const action = useAction()
  const run = useDatabases((state) => state.backupRuns[name])
  useEffect(() => {
    void useDatabases.getState().refreshBackups(name)
    void useDatabases.getState().refreshTargets()
  }, [name])

  const names = targets?.status === 'done' ? targets.value.map((t) => t.name) : []
  const chosen = names.includes(target) ? target : (info.schedule?.target ?? names[0] ?? '')
  const reload = async (): Promise<void> => {
    await Promise.all([
      useDatabases.getState().refreshBackups(name),
      useDatabases.getState().refreshInfo(name),
    ])
  }
  const act = (id: string, work: () => Promise<unknown>): void =>
    void action.run(id, work).then(() => reload())

  return (
    <Panel
      title="Backups"
      actions={
        <Button icon={<RefreshIcon />} onClick={() => void reload()}>
          Refresh
        </Button>
      }
    >
      <Health info={info} />
      {targets?.status === 'done' && names.length === 0 ? (
        <p className="note note-info">
          <span className="note-body">
            Backups go to S3-compatible storage.{' '}
            <a href={href({ page: 'backup-targets' })}>Add a backup target</a> first.
          </span>
        </p>
      ) : (
        <div className="backup-now">
          {names.length > 1 && (
            <SelectField
              label="Target"
              value={chosen}
              options={names.map((n) => ({ value: n, label: n }))}
              onChange={setTarget}
            />
          )}
          <Button
            variant="primary"
            icon={<ShieldIcon />}
            disabled={!chosen}
            busy={run?.status === 'running'}
            onClick={() => void useDatabases.getState().backup(name, chosen)}
          >
            {run?.status === 'running' ? 'Backing up and verifying…' : 'Back up now'}
          </Button>
        </div>
      )}
      {run?.status === 'failed' && <ErrorNote failure={run.failure} />}
      {run?.status === 'done' && (
        <p className="note note-success" role="status">
          <span className="note-body">
            Backup <span className="mono">{run.value.id}</span> stored and verified: read back, its hash
            matches.
          </span>
        </p>
      )}
      {action.failure && <ErrorNote failure={action.failure} />}
      {backups === undefined || (backups.status === 'running' && !('value' in backups)) ? (
        <p className="muted">Reading the backups from the bucket…</p>
      ) : backups.status === 'failed' ? (
        <ErrorNote failure={backups.failure} />
      ) : backups.status === 'done' && backups.value.length === 0 ? (
        <p className="muted">No backups yet.</p>
      ) : backups.status === 'done' ? (
        <BackupsTable
          backups={backups.value}
          running={action.running}
          onVerify={(b) =>
            act(`verify:${b.id}`, () => api().call('databases:verify', { name, backup: b.id }))
          }
          onDrill={(b) => act(`drill:${b.id}`, () => api().call('databases:drill', { name, backup: b.id }))}
          onRestore={setRestoring}
        />
      ) : null}
      {restoring && (
        <RestoreDialog
          database={name}
          backup={restoring}
          onClose={() => setRestoring(null)}
          onRestored={() => void useDatabases.getState().refresh()}
        />
      )}
    </Panel>
  )
}

/** The last good backup, the last verified restore and the stale flag, as `db info` shows them. */
function Health({ info }: { info: DatabaseInfo }) {
  const { lastGood, lastVerifiedRestore, lastFailure } = info.backups
  const when = (iso: string): string => `${formatDate(iso)} (${timeAgo(iso)})`
  return (
    <div className="stack backup-health">
      <HealthChip health={info.backups} />
      <Properties
        rows={[
          ['Last good backup', lastGood ? `${when(lastGood.at)} to ${lastGood.target}` : 'None yet'],
          [
            'Last verified restore',
            lastVerifiedRestore
              ? `${when(lastVerifiedRestore.at)} of ${lastVerifiedRestore.backup}`
              : 'None yet',
          ],
          ...(lastFailure
            ? ([
                ['Last failure', `${when(lastFailure.at)}: ${lastFailure.message} (${lastFailure.code})`],
              ] as [string, string][])
            : []),
        ]}
      />
    </div>
  )
}

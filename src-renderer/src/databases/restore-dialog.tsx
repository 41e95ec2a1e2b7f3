import { useState } from 'react'
import type { BackupInfo, RestoreResult } from '../../../src-main/api/contract'
import { api } from '../session-store'
import { href } from '../shell/router'
import { Button } from '../ui/button'
import { Dialog } from '../ui/dialog'
import { ErrorNote } from '../ui/error-note'
import { TextField } from '../ui/field'
import { formatDate } from '../ui/format'
import { useAction } from './use-action'

/**
 * Restores a backup: into a new database by default; over the database itself only when the user
 * ticks the box, which says that a backup of its current data is taken first.
 */
export function RestoreDialog({
  database,
  backup,
  onClose,
  onRestored,
}: {
  database: string
  backup: BackupInfo
  onClose(): void
  onRestored(): void
}) {
  const [into, setInto] = useState('')
  const [inPlace, setInPlace] = useState(false)
  const [result, setResult] = useState<RestoreResult | null>(null)
  const action = useAction()
  const restore = (): void =>
    void action.run('restore', async () => {
      const input = inPlace
        ? { name: database, from: backup.id, inPlace: true }
        : { name: database, from: backup.id, ...(into.trim() ? { into: into.trim() } : {}) }
      setResult(await api().call('databases:restore', input))
      onRestored()
    })
  return (
    <Dialog
      title={`Restore ${database}`}
      onClose={onClose}
      actions={
        result ? (
          <Button variant="primary" onClick={onClose} autoFocus>
            Done
          </Button>
        ) : (
          <>
            <Button onClick={onClose} autoFocus>
              Cancel
            </Button>
            <Button
              variant={inPlace ? 'danger' : 'primary'}
              busy={action.running === 'restore'}
              onClick={restore}
            >
              {inPlace ? `Replace ${database}’s data` : 'Restore into a new database'}
            </Button>
          </>
        )
      }
    >
      {result ? (
        <RestoreDone result={result} />
      ) : (
        <div className="stack">
          <p>
            Backup <span className="mono">{backup.id}</span> of {formatDate(backup.at)}.
          </p>
          {!inPlace && (
            <TextField
              label="New database"
              value={into}
              onChange={setInto}
              optional
              spellCheck={false}
              placeholder={`${database}-restored-…`}
              error={action.failure?.field === 'into' ? action.failure.message : undefined}
              hint="Created on the same server. Empty: named after the database and the backup’s time."
            />
          )}
          <label className="toggle">
            <input type="checkbox" checked={inPlace} onChange={(event) => setInPlace(event.target.checked)} />
            Restore in place, over {database}’s data (a backup of its current data is taken first)
          </label>
          {action.failure && action.failure.field !== 'into' && <ErrorNote failure={action.failure} />}
        </div>
      )}
    </Dialog>
  )
}

function RestoreDone({ result }: { result: RestoreResult }) {
  return (
    <div className="stack" role="status">
      <p>
        Restored <span className="mono">{result.backup}</span> into{' '}
        <a href={href({ page: 'database', name: result.database })}>{result.database}</a>.
      </p>
      {result.safetyBackup && (
        <p>
          The data it replaced is in backup <span className="mono">{result.safetyBackup}</span>.
        </p>
      )}
      <ul className="count-list">
        {result.counts.map((c) => (
          <li key={c.table}>
            <span className="mono">{c.table}</span>: {c.actual} of {c.expected}
          </li>
        ))}
      </ul>
    </div>
  )
}

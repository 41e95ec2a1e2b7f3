import type { BackupInfo } from '../../../src-main/api/contract'
import { Button } from '../ui/button'
import { formatBytes, formatDate } from '../ui/format'
import { BACKUP_BADGES } from './database-format'

/** A drill's result in words: counts equal, or which differ. */
function drillText(backup: BackupInfo): string {
  const { drill } = backup
  if (!drill) return 'Not drilled'
  if (drill.ok) return `Restored ${formatDate(drill.at)}: counts equal`
  const wrong = drill.counts.filter((c) => c.expected !== c.actual)
  return `Failed ${formatDate(drill.at)}: ${wrong.map((c) => `${c.table} ${c.actual}/${c.expected}`).join(', ') || 'no counts'}`
}

/** Each backup, newest first, with Verify, Restore drill and Restore…; `running` names the action under way. */
export function BackupsTable({
  backups,
  running,
  onVerify,
  onDrill,
  onRestore,
}: {
  backups: BackupInfo[]
  running: string | null
  onVerify(backup: BackupInfo): void
  onDrill(backup: BackupInfo): void
  onRestore(backup: BackupInfo): void
}) {
  return (
    <div className="table-frame">
      <table className="table" aria-label="Backups">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">State</th>
            <th scope="col">Verified</th>
            <th scope="col">Size</th>
            <th scope="col">Restore drill</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {backups.map((backup) => (
            <tr key={backup.id}>
              <td>
                <span title={backup.id}>{formatDate(backup.at)}</span>
                <div className="muted mono backup-id">{backup.id}</div>
              </td>
              <td>
                <span className={`badge ${BACKUP_BADGES[backup.state]}`}>{backup.state}</span>
                {backup.error && <div className="backup-error">{backup.error.message}</div>}
              </td>
              <td>
                {backup.verified ? (
                  <span className="chip chip-success">Read back, hash matches</span>
                ) : (
                  <span className="chip">Not verified</span>
                )}
              </td>
              <td>{backup.state === 'running' ? '…' : formatBytes(backup.size)}</td>
              <td className="result-cell">{drillText(backup)}</td>
              <td>
                <span className="row-actions">
                  <Button
                    busy={running === `verify:${backup.id}`}
                    disabled={running !== null || backup.state === 'running'}
                    aria-label={`Verify ${backup.id}`}
                    onClick={() => onVerify(backup)}
                  >
                    Verify
                  </Button>
                  <Button
                    busy={running === `drill:${backup.id}`}
                    disabled={running !== null || backup.state !== 'verified'}
                    aria-label={`Restore drill of ${backup.id}`}
                    onClick={() => onDrill(backup)}
                  >
                    Restore drill
                  </Button>
                  <Button
                    disabled={running !== null || backup.state !== 'verified'}
                    aria-label={`Restore ${backup.id}…`}
                    onClick={() => onRestore(backup)}
                  >
                    Restore…
                  </Button>
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

import { useEffect, useState } from 'react'
import type { DatabaseInfo } from '../../../src-main/api/contract'
import { href, navigate } from '../shell/router'
import { openTerminal } from '../terminals/terminals-store'
import { Button, LinkButton } from '../ui/button'
import { ConfirmRemoveDialog } from '../ui/dialog'
import { ErrorNote } from '../ui/error-note'
import { formatDate } from '../ui/format'
import { TerminalIcon, TrashIcon } from '../ui/icons'
import { PageHeader } from '../ui/page-header'
import { Panel } from '../ui/panel'
import { Properties } from '../ui/properties'
import { BackupsPanel } from './backups-panel'
import { ConnectionPanel } from './connection-panel'
import { describeEngine } from './database-format'
import { DatabaseStatePill } from './database-state'
import { selectDatabase, useDatabases } from './databases-store'
import { LinkedAppsPanel } from './linked-apps-panel'
import { SchedulePanel } from './schedule-panel'
import { TunnelPanel } from './tunnel-panel'
import './databases.css'

/**
 * A database: its status, connection, tunnel, linked apps, backups and schedule. No metrics: the
 * metrics stream follows a server or an app's containers, not a database's container.
 */
export function DatabasePage({ name }: { name: string }) {
  const loaded = useDatabases((state) => state.databases !== null)
  const database = useDatabases(selectDatabase(name))
  const info = useDatabases((state) => state.infos[name])
  useEffect(() => {
    void useDatabases.getState().refresh()
  }, [name])

  if (!loaded) return <p className="muted">Loading…</p>
  if (!database) return <UnknownDatabase name={name} />
  return (
    <>
      <PageHeader
        title={database.name}
        description={
          <span className="app-heading-line">
            <DatabaseStatePill state={database.state} />
            <span>
              {describeEngine(database)} on{' '}
              <a href={href({ page: 'server', name: database.server })}>{database.server}</a>
            </span>
          </span>
        }
        actions={
          <Button icon={<TerminalIcon />} onClick={() => openTerminal({ kind: 'database', name })}>
            Open shell
          </Button>
        }
      />
      {info?.status === 'failed' && <ErrorNote failure={info.failure} />}
      {info?.status === 'done' ? (
        <Details info={info.value} />
      ) : (
        <p className="muted">Reading it from {database.server}…</p>
      )}
      <div className="stack">
        <div className="detail-grid">
          <TunnelPanel name={name} />
          <LinkedAppsPanel database={database} />
        </div>
        {info?.status === 'done' && (
          <>
            <BackupsPanel info={info.value} />
            <SchedulePanel info={info.value} />
          </>
        )}
        <DangerZone name={name} />
      </div>
    </>
  )
}

function Details({ info }: { info: DatabaseInfo }) {
  return (
    <div className="detail-grid database-details">
      <Panel title="Status">
        <Properties
          rows={[
            ['Engine', describeEngine(info)],
            ['Image', <span className="mono">{info.image}</span>],
            ['Memory limit', info.memory ?? 'None'],
            ['CPUs', info.cpus === null ? 'No limit' : String(info.cpus)],
            ['Created', formatDate(info.createdAt)],
          ]}
        />
      </Panel>
      <ConnectionPanel info={info} />
    </div>
  )
}

function DangerZone({ name }: { name: string }) {
  const [removing, setRemoving] = useState(false)
  const [keepVolume, setKeepVolume] = useState(true)
  return (
    <Panel title="Remove" className="danger-zone">
      <p className="muted">
        Stops and removes the database’s container; its data volume goes too unless you keep it.
      </p>
      <div className="panel-buttons">
        <Button variant="danger" icon={<TrashIcon />} onClick={() => setRemoving(true)}>
          Remove database
        </Button>
      </div>
      {removing && (
        <ConfirmRemoveDialog
          title={`Remove ${name}?`}
          action="Remove database"
          onClose={() => setRemoving(false)}
          onConfirm={async () => {
            await useDatabases.getState().remove(name, keepVolume)
            navigate({ page: 'databases' })
          }}
        >
          <p>Apps linked to it lose its URL with their next deploy. Its backups stay in their bucket.</p>
          <label className="toggle">
            <input
              type="checkbox"
              checked={keepVolume}
              onChange={(event) => setKeepVolume(event.target.checked)}
            />
            Keep the data volume (a later database of the same name uses it again)
          </label>
        </ConfirmRemoveDialog>
      )}
    </Panel>
  )
}

function UnknownDatabase({ name }: { name: string }) {
  return (
    <PageHeader
      title="No such database"
      description={`There is no database named “${name}”. It may have been removed, or its server is unreachable.`}
      actions={
        <LinkButton variant="primary" href={href({ page: 'databases' })}>
          All databases
        </LinkButton>
      }
    />
  )
}

import { useEffect } from 'react'
import type { DatabaseSummary } from '../../../src-main/api/contract'
import { useServers } from '../servers/servers-store'
import { href } from '../shell/router'
import { LinkButton } from '../ui/button'
import { ErrorNote } from '../ui/error-note'
import { DatabaseIcon, PlusIcon, ShieldIcon } from '../ui/icons'
import { PageHeader } from '../ui/page-header'
import { EmptyState, Panel } from '../ui/panel'
import { describeEngine } from './database-format'
import { DatabaseStatePill, HealthChip } from './database-state'
import { useDatabases } from './databases-store'
import './databases.css'

export function DatabasesListPage() {
  const databases = useDatabases((state) => state.databases)
  const failure = useDatabases((state) => state.listFailure)
  const unreachable = useDatabases((state) => state.unreachable)
  const hasServers = useServers((state) => (state.servers?.length ?? 0) > 0)
  useEffect(() => void useDatabases.getState().refresh(), [])
  const newDatabase = (
    <LinkButton variant="primary" href={href({ page: 'new-database' })} icon={<PlusIcon />}>
      New database
    </LinkButton>
  )
  return (
    <>
      <PageHeader
        title="Databases"
        description="Databases on your servers, reachable by your apps on Helvetia’s network and never published on a port."
        actions={
          <>
            <LinkButton href={href({ page: 'backup-targets' })} icon={<ShieldIcon />}>
              Backup targets
            </LinkButton>
            {databases?.length ? newDatabase : undefined}
          </>
        }
      />
      {failure && <ErrorNote failure={failure} />}
      {unreachable.map((server) => (
        <p key={server.server} className="note note-warning" role="status">
          <span className="note-body">
            The databases on {server.server} are not listed: {server.message}
          </span>
        </p>
      ))}
      {databases === null ? (
        <p className="muted" aria-busy="true">
          Reading databases from your servers…
        </p>
      ) : databases.length === 0 ? (
        <EmptyState icon={<DatabaseIcon />} title="No databases yet" testId="no-databases">
          <p className="muted">
            {hasServers
              ? 'Create a PostgreSQL, MariaDB, MySQL, Redis or MongoDB database on one of your servers, then link it to an app.'
              : 'Databases run on your servers: connect one first.'}
          </p>
          {hasServers ? (
            newDatabase
          ) : (
            <LinkButton variant="primary" href={href({ page: 'connect' })} icon={<PlusIcon />}>
              Connect a server
            </LinkButton>
          )}
        </EmptyState>
      ) : (
        <Panel>
          <div className="table-frame">
            <table className="table" aria-label="Databases">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Engine</th>
                  <th scope="col">Server</th>
                  <th scope="col">State</th>
                  <th scope="col">Linked apps</th>
                  <th scope="col">Backups</th>
                </tr>
              </thead>
              <tbody>
                {databases.map((database) => (
                  <DatabaseRow key={`${database.server}/${database.name}`} database={database} />
                ))}
              </tbody>
            </table>
          </div>
        </Panel>
      )}
    </>
  )
}

function DatabaseRow({ database }: { database: DatabaseSummary }) {
  const info = useDatabases((state) => state.infos[database.name])
  return (
    <tr>
      <td>
        <a className="database-link" href={href({ page: 'database', name: database.name })}>
          {database.name}
        </a>
      </td>
      <td>{describeEngine(database)}</td>
      <td>{database.server}</td>
      <td>
        <DatabaseStatePill state={database.state} />
      </td>
      <td className="wrap-cell">
        {database.linkedApps.length === 0 ? (
          <span className="muted">None</span>
        ) : (
          database.linkedApps.map((link, index) => (
            <span key={link.app}>
              {index > 0 && ', '}
              <a href={href({ page: 'app', name: link.app, tab: 'overview' })}>{link.app}</a>
            </span>
          ))
        )}
      </td>
      <td>
        {info?.status === 'done' ? (
          <HealthChip health={info.value.backups} />
        ) : info?.status === 'failed' ? (
          <span className="muted">Unknown: {info.failure.message}</span>
        ) : (
          <span className="muted">Reading…</span>
        )}
      </td>
    </tr>
  )
}

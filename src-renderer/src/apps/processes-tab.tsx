import { useCallback } from 'react'
import type { ProcessStatus } from '../../../src-main/api/contract'
import { api } from '../session-store'
import { href } from '../shell/router'
import { Button } from '../ui/button'
import { ErrorNote } from '../ui/error-note'
import { RefreshIcon } from '../ui/icons'
import { Panel } from '../ui/panel'
import { JobsPanel } from './jobs-panel'
import { processRunning } from './ship-format'
import { useRead } from './use-read'
import './ship.css'

/** The app's process types (a routed `web`, unrouted workers), each leading to its own logs; its jobs. */
export function ProcessesTab({ app }: { app: string }) {
  const read = useCallback(() => api().call('processes:list', { name: app }), [app])
  const { task, refresh } = useRead(read)
  return (
    <div className="stack">
      <Panel
        title="Process types"
        actions={
          <Button variant="ghost" icon={<RefreshIcon />} onClick={refresh}>
            Refresh
          </Button>
        }
      >
        <p className="muted">
          Run from the app’s image: <code>web</code> is the one the proxy routes to, any other is a worker. A
          Procfile in the source declares them.
        </p>
        {task === undefined || task.status === 'running' ? (
          <p className="muted" aria-busy="true">
            Reading the processes from the server…
          </p>
        ) : task.status === 'failed' ? (
          <ErrorNote failure={task.failure} />
        ) : (
          <ProcessTable app={app} processes={task.value} />
        )}
      </Panel>
      <JobsPanel app={app} />
    </div>
  )
}

function ProcessTable({ app, processes }: { app: string; processes: ProcessStatus[] }) {
  if (processes.length === 0) return <p className="muted">No process runs yet: deploy the app first.</p>
  return (
    <div className="table-frame">
      <table className="table" aria-label="Process types">
        <thead>
          <tr>
            <th scope="col">Process</th>
            <th scope="col">Command</th>
            <th scope="col">Containers</th>
          </tr>
        </thead>
        <tbody>
          {processes.map((process) => (
            <tr key={process.name}>
              <td>
                <a className="service-link" href={href({ page: 'service', app, service: process.name })}>
                  {process.name}
                </a>
                {process.name === 'web' && <span className="muted"> (routed)</span>}
              </td>
              <td className="mono wrap-cell">{process.command ?? 'The image’s own command'}</td>
              <td>
                <span
                  className={`badge ${process.running < process.replicas ? 'badge-failed' : 'badge-done'}`}
                >
                  {processRunning(process)}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

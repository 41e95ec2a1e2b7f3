import { useCallback } from 'react'
import type { ServiceStatus } from '../../../src-main/api/contract'
import { api } from '../session-store'
import { href } from '../shell/router'
import { Button } from '../ui/button'
import { ErrorNote } from '../ui/error-note'
import { RefreshIcon } from '../ui/icons'
import { Panel } from '../ui/panel'
import { JobsPanel } from './jobs-panel'
import { serviceState, switchLabel } from './ship-format'
import { useRead } from './use-read'
import './ship.css'

/** A compose app's services as they run now, each leading to its logs, metrics and terminal; its jobs. */
export function ServicesTab({ app }: { app: string }) {
  const read = useCallback(() => api().call('stacks:services', { name: app }), [app])
  const { task, refresh } = useRead(read)
  return (
    <div className="stack">
      <Panel
        title="Services"
        actions={
          <Button variant="ghost" icon={<RefreshIcon />} onClick={refresh} busy={task?.status === 'running'}>
            Refresh
          </Button>
        }
      >
        {task === undefined || task.status === 'running' ? (
          <p className="muted" aria-busy="true">
            Reading the services from the server…
          </p>
        ) : task.status === 'failed' ? (
          <ErrorNote failure={task.failure} />
        ) : task.value.length === 0 ? (
          <p className="muted">No service runs yet: deploy the app to start them.</p>
        ) : (
          <ServicesTable app={app} services={task.value} />
        )}
      </Panel>
      <JobsPanel app={app} />
    </div>
  )
}

function ServicesTable({ app, services }: { app: string; services: ServiceStatus[] }) {
  return (
    <div className="table-frame">
      <table className="table" aria-label="Services">
        <thead>
          <tr>
            <th scope="col">Service</th>
            <th scope="col">State</th>
            <th scope="col">Image</th>
            <th scope="col">Domains</th>
            <th scope="col">On deploy</th>
          </tr>
        </thead>
        <tbody>
          {services.map((service) => {
            const state = serviceState(service)
            return (
              <tr key={service.service}>
                <td>
                  <a className="service-link" href={href({ page: 'service', app, service: service.service })}>
                    {service.service}
                  </a>
                  {service.replicas > 1 && <span className="muted"> ×{service.replicas}</span>}
                </td>
                <td>
                  <span className={`pill ${state.pill}`}>
                    <span className="pill-dot" aria-hidden="true" />
                    {state.label}
                  </span>
                </td>
                <td className="mono wrap-cell">{service.image}</td>
                <td className="wrap-cell">
                  {service.domains.length === 0 ? (
                    <span className="muted">Not routed</span>
                  ) : (
                    service.domains.map((domain) => (
                      <span key={domain} className="mono service-domain">
                        {domain}
                      </span>
                    ))
                  )}
                </td>
                <td>{switchLabel(service.zeroDowntime)}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

import { href } from '../shell/router'
import { LinkButton } from '../ui/button'
import { PlusIcon } from '../ui/icons'
import { Panel } from '../ui/panel'
import { useApps } from './apps-store'
import { StatusPill } from './status-pill'
import { useAppState } from './use-app-state'

/** The apps that run on one server, for its page. */
export function ServerAppsPanel({ server }: { server: string }) {
  const apps = useApps((state) => state.apps)
  const mine = apps?.filter((app) => app.server === server) ?? []
  return (
    <Panel
      title="Apps"
      actions={
        <LinkButton href={href({ page: 'new-app', server })} icon={<PlusIcon />}>
          New app on this server
        </LinkButton>
      }
    >
      {apps === null ? (
        <p className="muted">Loading…</p>
      ) : mine.length === 0 ? (
        <p className="muted">No apps on this server yet.</p>
      ) : (
        <ul className="server-apps" aria-label={`Apps on ${server}`}>
          {mine.map((app) => (
            <ServerAppRow key={app.name} name={app.name} />
          ))}
        </ul>
      )}
    </Panel>
  )
}

function ServerAppRow({ name }: { name: string }) {
  const state = useAppState(name)
  return (
    <li className="server-app">
      <a href={href({ page: 'app', name, tab: 'overview' })}>{name}</a>
      {state && <StatusPill state={state} />}
    </li>
  )
}

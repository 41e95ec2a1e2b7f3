import type { AppSummary } from '../../../src-main/api/contract'
import { href } from '../shell/router'
import { Panel } from '../ui/panel'
import { describeEngine } from './database-format'
import { linksOf, useDatabases } from './databases-store'
import './databases.css'

/** The databases an app uses (from databases:list's linked apps), on its overview; nothing when none. */
export function AppDatabases({ app }: { app: AppSummary }) {
  const links = linksOf(
    useDatabases((state) => state.databases),
    app.name,
  )
  if (links.length === 0) return null
  return (
    <Panel title="Databases">
      <ul className="app-databases" aria-label="Databases it uses">
        {links.map(({ database, key }) => (
          <li key={database.name}>
            <a href={href({ page: 'database', name: database.name })}>{database.name}</a>
            <span className="muted">{describeEngine(database)}</span>
            <span className="mono">{key}</span>
          </li>
        ))}
      </ul>
    </Panel>
  )
}

/** The palette's commands for databases: open one, back it up, open a tunnel or a shell, create one, the targets. */
import type { DatabaseSummary } from '../../../src-main/api/contract'
import type { Command } from '../palette/commands'
import { navigate, type Route } from '../shell/router'
import { openTerminal } from '../terminals/terminals-store'
import { DatabaseIcon, PlugIcon, PlusIcon, ShieldIcon, TerminalIcon } from '../ui/icons'
import { describeEngine } from './database-format'
import { useDatabases } from './databases-store'

const go = (route: Route) => () => navigate(route)

function databaseCommands(database: DatabaseSummary): Command[] {
  const { name } = database
  const page: Route = { page: 'database', name }
  return [
    {
      id: `database:${name}`,
      group: 'Databases',
      label: name,
      keywords: 'database open',
      detail: `${describeEngine(database)} on ${database.server}`,
      Icon: DatabaseIcon,
      run: go(page),
    },
    {
      id: `backup:${name}`,
      group: 'Actions',
      label: `Back up ${name}`,
      keywords: 'backup snapshot dump s3',
      detail: 'Backs up now and verifies it; the database page shows the result',
      Icon: ShieldIcon,
      run() {
        void useDatabases.getState().backup(name)
        navigate(page)
      },
    },
    {
      id: `tunnel:${name}`,
      group: 'Actions',
      label: `Open tunnel to ${name}`,
      keywords: 'port forward connect local',
      Icon: PlugIcon,
      run() {
        useDatabases.setState({ tunnelRequest: name })
        navigate(page)
      },
    },
    {
      id: `db-shell:${name}`,
      group: 'Actions',
      label: `Open shell in ${name}`,
      keywords: 'psql mysql redis-cli mongosh client terminal console',
      Icon: TerminalIcon,
      run: () => openTerminal({ kind: 'database', name }),
    },
  ]
}

/** Every database's commands, and the section's own. */
export function databasesCommands(databases: readonly DatabaseSummary[]): Command[] {
  return [
    ...databases.flatMap(databaseCommands),
    {
      id: 'new-database',
      group: 'Actions',
      label: 'Create database',
      keywords: 'new postgres mysql mariadb redis mongodb',
      Icon: PlusIcon,
      run: go({ page: 'new-database' }),
    },
    {
      id: 'go:backup-targets',
      group: 'Go to',
      label: 'Backup targets',
      keywords: 's3 bucket storage',
      Icon: ShieldIcon,
      run: go({ page: 'backup-targets' }),
    },
    {
      id: 'go:databases',
      group: 'Go to',
      label: 'Databases',
      Icon: DatabaseIcon,
      run: go({ page: 'databases' }),
    },
  ]
}

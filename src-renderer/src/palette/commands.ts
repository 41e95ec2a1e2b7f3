import type { ComponentType } from 'react'
import type { AppSummary, ServerSummary } from '../../../src-main/api/contract'
import { useApps } from '../apps/apps-store'
import { TAB_LABELS } from '../shell/breadcrumbs'
import { APP_TABS, navigate, type Route } from '../shell/router'
import type { ThemePreference } from '../theme/theme-store'
import { useTheme } from '../theme/theme-store'
import { location } from '../ui/format'
import {
  AppIcon,
  LogsIcon,
  MonitorIcon,
  MoonIcon,
  PlusIcon,
  RocketIcon,
  RollbackIcon,
  ServerIcon,
  SunIcon,
  TerminalIcon,
} from '../ui/icons'

export const GROUPS = ['Apps', 'Servers', 'Databases', 'Actions', 'Go to', 'Theme'] as const
export type Group = (typeof GROUPS)[number]

export interface Command {
  id: string
  group: Group
  /** What the option reads; the query is matched and highlighted in it. */
  label: string
  /** Words that also find it, not shown. */
  keywords?: string
  /** A second line of context: where an app runs, a server's address. */
  detail?: string
  Icon: ComponentType
  /** Asked inside the palette before `run`, for actions that change a running app. */
  confirm?: { title: string; body: string; action: string }
  run(): void
}

export interface CommandSources {
  servers: readonly ServerSummary[]
  apps: readonly AppSummary[]
  theme: ThemePreference
}

const go =
  (route: Route): (() => void) =>
  () =>
    navigate(route)

const THEMES: { value: ThemePreference; label: string; Icon: ComponentType }[] = [
  { value: 'dark', label: 'Dark', Icon: MoonIcon },
  { value: 'light', label: 'Light', Icon: SunIcon },
  { value: 'system', label: 'System', Icon: MonitorIcon },
]

/** An app's commands: open it, deploy, roll back, its logs and each of its tabs. */
function appCommands(app: AppSummary): Command[] {
  const commands: Command[] = []
  const overview: Route = { page: 'app', name: app.name, tab: 'overview' }
  commands.push({
    id: `app:${app.name}`,
    group: 'Apps',
    label: app.name,
    keywords: 'app open',
    detail: `App on ${app.server}`,
    Icon: AppIcon,
    run: go(overview),
  })
  commands.push(
    {
      id: `deploy:${app.name}`,
      group: 'Actions',
      label: `Deploy ${app.name}`,
      keywords: 'release ship',
      detail: 'Builds and deploys its source; the app page shows the progress',
      Icon: RocketIcon,
      run() {
        useApps.getState().deploy(app.name)
        navigate(overview)
      },
    },
    {
      id: `rollback:${app.name}`,
      group: 'Actions',
      label: `Roll back ${app.name}`,
      keywords: 'rollback revert undo',
      detail: 'Runs the previous good deployment again',
      Icon: RollbackIcon,
      confirm: {
        title: `Roll back ${app.name}?`,
        body: 'The last good deployment before the live one runs again from its kept image, without a build. The app page shows the progress.',
        action: 'Roll back',
      },
      run() {
        useApps.getState().rollback(app.name)
        navigate(overview)
      },
    },
    {
      id: `logs:${app.name}`,
      group: 'Actions',
      label: `Open logs of ${app.name}`,
      keywords: 'tail output',
      Icon: LogsIcon,
      run: go({ page: 'app', name: app.name, tab: 'logs' }),
    },
  )
  for (const tab of APP_TABS) {
    if (tab === 'overview' || tab === 'logs') continue
    commands.push({
      id: `tab:${app.name}:${tab}`,
      group: 'Go to',
      label: `${app.name}: ${TAB_LABELS[tab]}`,
      keywords: tab === 'env' ? 'variables secrets' : undefined,
      Icon: AppIcon,
      run: go({ page: 'app', name: app.name, tab }),
    })
  }
  return commands
}

/** A server's commands: open it, provision it, a new app on it. */
function serverCommands(server: ServerSummary): Command[] {
  const commands: Command[] = []
  commands.push(
    {
      id: `server:${server.name}`,
      group: 'Servers',
      label: server.name,
      keywords: 'server open',
      detail: location(server),
      Icon: ServerIcon,
      run: go({ page: 'server', name: server.name }),
    },
    {
      id: `provision:${server.name}`,
      group: 'Actions',
      label: `Provision ${server.name}`,
      keywords: 'install docker proxy',
      Icon: RocketIcon,
      run: go({ page: 'provision', name: server.name }),
    },
    {
      id: `new-app:${server.name}`,
      group: 'Actions',
      label: `New app on ${server.name}`,
      keywords: 'create',
      Icon: PlusIcon,
      run: go({ page: 'new-app', server: server.name }),
    },
  )
  return commands
}

/** What the palette offers whatever the data: actions and places to go. */
function generalCommands(): Command[] {
  const commands: Command[] = []
  commands.push(
    {
      id: 'terminal',
      group: 'Actions',
      label: 'Open a terminal',
      keywords: 'shell ssh console',
      Icon: TerminalIcon,
      run: go({ page: 'terminals' }),
    },
    {
      id: 'connect',
      group: 'Actions',
      label: 'Add a server',
      keywords: 'connect new ssh this computer',
      Icon: PlusIcon,
      run: go({ page: 'connect' }),
    },
    {
      id: 'new-app',
      group: 'Actions',
      label: 'New app',
      keywords: 'create folder github repository',
      Icon: PlusIcon,
      run: go({ page: 'new-app' }),
    },
    { id: 'go:servers', group: 'Go to', label: 'Servers', Icon: ServerIcon, run: go({ page: 'servers' }) },
    { id: 'go:apps', group: 'Go to', label: 'Apps', Icon: AppIcon, run: go({ page: 'apps' }) },
    {
      id: 'go:terminals',
      group: 'Go to',
      label: 'Terminals',
      Icon: TerminalIcon,
      run: go({ page: 'terminals' }),
    },
    {
      id: 'go:welcome',
      group: 'Go to',
      label: 'Getting started',
      keywords: 'welcome onboarding guide first run',
      Icon: RocketIcon,
      run: go({ page: 'welcome' }),
    },
  )
  return commands
}

/** Every server, app and action the palette offers, from the data the stores hold now. */
export function buildCommands({ servers, apps, theme }: CommandSources): Command[] {
  const commands: Command[] = [
    ...apps.flatMap(appCommands),
    ...servers.flatMap(serverCommands),
    ...generalCommands(),
  ]
  for (const { value, label, Icon } of THEMES) {
    commands.push({
      id: `theme:${value}`,
      group: 'Theme',
      label: `Switch theme: ${label}`,
      keywords: 'appearance colour color mode',
      detail: value === theme ? 'Current' : value === 'system' ? 'Follows the operating system' : undefined,
      Icon,
      run: () => useTheme.getState().setPreference(value),
    })
  }
  return commands
}

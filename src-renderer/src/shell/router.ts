import { useMemo, useSyncExternalStore } from 'react'

/**
 * Routes live in the URL fragment (`#/servers/edge-1`, `#/connect`): it works the same in the desktop window
 * (our own scheme, no server to fall back to index.html) and in the web mode, and survives reloads.
 */
export type Route =
  | { page: 'servers' }
  | { page: 'connect' }
  | { page: 'server'; name: string }
  | { page: 'provision'; name: string }
  | { page: 'apps' }
  | { page: 'new-app'; server?: string }
  | { page: 'app'; name: string; tab: AppTab }
  | { page: 'deployment'; app: string; id: string }
  | { page: 'service'; app: string; service: string }
  | { page: 'terminals' }
  | { page: 'databases' }
  | { page: 'new-database'; server?: string }
  | { page: 'database'; name: string }
  | { page: 'backup-targets' }
  | { page: 'catalog' }
  | { page: 'template'; id: string }
  | { page: 'welcome' }
  | { page: 'not-found' }

/** The sections of an app's page, each its own address. */
export const APP_TABS = [
  'overview',
  'services',
  'processes',
  'deployments',
  'logs',
  'env',
  'metrics',
  'settings',
] as const
export type AppTab = (typeof APP_TABS)[number]
const isAppTab = (value: string): value is AppTab => (APP_TABS as readonly string[]).includes(value)

/** The pages whose address is one word: `#/terminals`. */
type SinglePage = 'connect' | 'terminals' | 'welcome' | 'backup-targets'
const SINGLE_PAGES = new Set<string>([
  'connect',
  'terminals',
  'welcome',
  'backup-targets',
] satisfies SinglePage[])

function parseRoute(hash: string): Route {
  let parts: string[]
  try {
    parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent)
  } catch {
    return { page: 'not-found' }
  }
  const [section = 'servers', name, sub] = parts
  if (parts.length === 1 && SINGLE_PAGES.has(section)) return { page: section as SinglePage }
  if (section === 'apps') return parseAppRoute(parts.slice(1))
  if (section === 'new-app' && parts.length <= 2) return { page: 'new-app', server: name }
  if (section === 'databases' && parts.length <= 2)
    return name ? { page: 'database', name } : { page: section }
  if (section === 'new-database' && parts.length <= 2) return { page: 'new-database', server: name }
  if (section === 'catalog' && parts.length <= 2)
    return name ? { page: 'template', id: name } : { page: section }
  if (section !== 'servers' || parts.length > 3) return { page: 'not-found' }
  if (name === undefined) return { page: 'servers' }
  if (sub === undefined) return { page: 'server', name }
  if (sub === 'provision') return { page: 'provision', name }
  return { page: 'not-found' }
}

export function href(route: Route): string {
  switch (route.page) {
    case 'servers':
    case 'not-found':
      return '#/servers'
    case 'connect':
      return '#/connect'
    case 'server':
      return `#/servers/${encodeURIComponent(route.name)}`
    case 'provision':
      return `#/servers/${encodeURIComponent(route.name)}/provision`
    case 'apps':
      return '#/apps'
    case 'new-app':
      return route.server ? `#/new-app/${encodeURIComponent(route.server)}` : '#/new-app'
    case 'app':
      return `#/apps/${encodeURIComponent(route.name)}${route.tab === 'overview' ? '' : `/${route.tab}`}`
    case 'deployment':
      return `#/apps/${encodeURIComponent(route.app)}/deployments/${encodeURIComponent(route.id)}`
    case 'databases':
      return '#/databases'
    case 'new-database':
      return route.server ? `#/new-database/${encodeURIComponent(route.server)}` : '#/new-database'
    case 'database':
      return `#/databases/${encodeURIComponent(route.name)}`
    case 'service':
      return `#/apps/${encodeURIComponent(route.app)}/services/${encodeURIComponent(route.service)}`
    case 'catalog':
      return '#/catalog'
    case 'template':
      return `#/catalog/${encodeURIComponent(route.id)}`
    case 'terminals':
    case 'welcome':
    case 'backup-targets':
      return `#/${route.page}`
  }
}

/** `#/apps`, `#/apps/NAME[/TAB]`, `#/apps/NAME/deployments/ID`, `#/apps/NAME/services/SERVICE`. */
function parseAppRoute([name, tab, id, ...rest]: string[]): Route {
  if (rest.length > 0) return { page: 'not-found' }
  if (name === undefined) return { page: 'apps' }
  if (tab === undefined) return { page: 'app', name, tab: 'overview' }
  if (tab === 'deployments' && id !== undefined) return { page: 'deployment', app: name, id }
  if (tab === 'services' && id !== undefined) return { page: 'service', app: name, service: id }
  if (id === undefined && isAppTab(tab)) return { page: 'app', name, tab }
  return { page: 'not-found' }
}

export function navigate(route: Route): void {
  location.hash = href(route)
}

const subscribe = (onChange: () => void): (() => void) => {
  window.addEventListener('hashchange', onChange)
  return () => window.removeEventListener('hashchange', onChange)
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => location.hash)
  return useMemo(() => parseRoute(hash), [hash])
}

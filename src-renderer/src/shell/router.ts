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
  | { page: 'not-found' }

function parseRoute(hash: string): Route {
  let parts: string[]
  try {
    parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent)
  } catch {
    return { page: 'not-found' }
  }
  const [section = 'servers', name, sub] = parts
  if (section === 'connect' && parts.length === 1) return { page: 'connect' }
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
  }
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

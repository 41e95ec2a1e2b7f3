import { useEffect } from 'react'
import { useServers } from '../servers/servers-store'
import { href } from '../shell/router'

/** Set once this browser profile has seen a server: from then on it is not a first run. */
const SEEN_KEY = 'helvetia.seen-servers'
const LANDING = /^(#\/?(servers\/?)?)?$/

/** Decided on the first server list of this page load, and only then. */
let decided = false

/**
 * On a first run (no servers, and none ever seen here), the landing page gives way to the welcome
 * guide. Only the landing page and only on load: an address the user asked for is left alone.
 */
export function useFirstRunWelcome(): void {
  const servers = useServers((state) => state.servers)
  useEffect(() => {
    if (servers === null) return
    if (servers.length > 0) localStorage.setItem(SEEN_KEY, '1')
    if (decided) return
    decided = true
    if (servers.length === 0 && !localStorage.getItem(SEEN_KEY) && LANDING.test(location.hash)) {
      location.replace(href({ page: 'welcome' }))
    }
  }, [servers])
}

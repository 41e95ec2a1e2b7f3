import type { ServerProxy } from '../../api/contract'

/**
 * The proxy from the facts of remote-scripts/lib/proxy-state.sh (emit_proxy_facts): null when no
 * proxy runs, or when its configuration no longer says where it listens (provisioning again fixes it).
 */
export function toServerProxy(facts: Record<string, string>, checkedAt: Date): ServerProxy | null {
  const kind = facts.proxy
  const httpPort = port(facts['http-port'])
  const httpsPort = port(facts['https-port'])
  if ((kind !== 'caddy' && kind !== 'traefik') || httpPort === null || httpsPort === null) return null
  return {
    kind,
    httpPort,
    httpsPort,
    acmeEmail: facts['acme-email'] === '1',
    checkedAt: checkedAt.toISOString(),
  }
}

const port = (text: string | undefined): number | null => {
  const value = /^[0-9]{1,5}$/.test(text ?? '') ? Number(text) : 0
  return value >= 1 && value <= 65535 ? value : null
}

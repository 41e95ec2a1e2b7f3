import type { X509Certificate } from 'node:crypto'
import { isIP } from 'node:net'
import { UserError } from '../core/errors'

/** 127.0.0.0/8, ::1 and the name `localhost`: only this computer reaches them. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase()
  if (bare === 'localhost' || bare === '::1') return true
  return isIP(bare) === 4 && bare.startsWith('127.')
}

const isWildcard = (host: string): boolean => host === '0.0.0.0' || host === '::' || host === ''

/**
 * Refuses to serve the dashboard over plain HTTP on an address other machines can reach: its token
 * and everything the API carries (env values, terminal input) would cross that network in clear.
 */
export function assertSafeBind(host: string, transport: { tls: boolean; insecure: boolean }): void {
  if (isLoopback(host) || transport.tls || transport.insecure) return
  throw new UserError(
    'WEB_NEEDS_TLS',
    `Serving the dashboard on ${host} over plain HTTP would send its token in clear to anyone on that network.`,
    'Give it a certificate and key (--tls-cert FILE --tls-key FILE), keep the default 127.0.0.1 (and reach it through an SSH tunnel), or accept the risk with --insecure.',
  )
}

/** The address the server listens on, and the certificate it serves, if any. */
export interface Listening {
  host: string
  port: number
  certificate: X509Certificate | null
}

/** `host` as it stands in a URL (IPv6 in brackets), normalised as browsers write it. */
const urlHostname = (host: string, scheme: string): string | null => {
  try {
    return new URL(`${scheme}://${isIP(host) === 6 ? `[${host}]` : host}/`).hostname
  } catch {
    return null
  }
}

/**
 * Whether a request's Host header names this server: its port, and a name that cannot be made to
 * point here by someone else's DNS (DNS rebinding: a page on evil.example whose name later resolves
 * to 127.0.0.1 sends `Host: evil.example:PORT`). Accepted names: the bound address; `localhost` on a
 * loopback bind; any IP address on a wildcard bind (0.0.0.0, ::); a name the certificate covers.
 */
export function isOwnHost(header: string | undefined, listening: Listening): boolean {
  // Only a host and a port: no user, path or query smuggled into the header.
  if (!header || !/^[\w.:[\]-]+$/.test(header)) return false
  const scheme = listening.certificate ? 'https' : 'http'
  let requested: URL
  try {
    requested = new URL(`${scheme}://${header}/`)
  } catch {
    return false
  }
  const port = requested.port === '' ? (listening.certificate ? 443 : 80) : Number(requested.port)
  if (port !== listening.port) return false
  const name = requested.hostname
  const bare = name.replace(/^\[(.*)\]$/, '$1')
  if (name === urlHostname(listening.host, scheme)) return true
  if (isLoopback(listening.host) && name === 'localhost') return true
  if (isWildcard(listening.host) && isIP(bare) !== 0) return true
  const certificate = listening.certificate
  if (!certificate) return false
  return isIP(bare) !== 0
    ? certificate.checkIP(bare) !== undefined
    : certificate.checkHost(bare) !== undefined
}

import type { ProxyKind } from '../../api/contract'
import { UserError } from '../errors'
import { validateBindAddress, validateEmail, validateImage, validatePort, validatePrefix } from './validation'

export const DEFAULT_PROXY_IMAGES: Record<ProxyKind, string> = { traefik: 'traefik:v3.3', caddy: 'caddy:2' }

/** The proxy options as a caller gives them (the API's ProvisionInput, plus bind and prefix). */
export interface ProxyInput {
  proxy?: ProxyKind
  proxyImage?: string
  httpPort?: number
  httpsPort?: number
  /** The server address the ports are published on (default 0.0.0.0: every IPv4 address). */
  bind?: string
  /** Let's Encrypt account email; empty or absent registers without one. */
  email?: string
  /**
   * Names every Docker object and the server folder (`~/.<prefix>`), default `helvetia`; tests use
   * their own so they never touch a real proxy.
   */
  prefix?: string
}

export interface ProxyOptions {
  kind: ProxyKind
  image: string
  httpPort: number
  httpsPort: number
  bind: string
  email: string | null
  prefix: string
}

/** Fills in defaults and validates every field; throws a UserError (INVALID_OPTION) naming the bad one. */
export function resolveProxyOptions(input: ProxyInput): ProxyOptions {
  const kind = input.proxy ?? 'traefik'
  if (kind !== 'traefik' && kind !== 'caddy') {
    throw new UserError(
      'INVALID_OPTION',
      `Invalid proxy: ${JSON.stringify(kind)}`,
      'Expected traefik or caddy.',
      { field: 'proxy' },
    )
  }
  const options: ProxyOptions = {
    kind,
    image: validateImage(input.proxyImage ?? DEFAULT_PROXY_IMAGES[kind]),
    httpPort: validatePort('HTTP port', input.httpPort ?? 80, 'httpPort'),
    httpsPort: validatePort('HTTPS port', input.httpsPort ?? 443, 'httpsPort'),
    bind: validateBindAddress(input.bind ?? '0.0.0.0'),
    email: input.email === undefined || input.email === '' ? null : validateEmail(input.email),
    prefix: validatePrefix(input.prefix ?? 'helvetia'),
  }
  if (options.httpPort === options.httpsPort) {
    throw new UserError(
      'INVALID_OPTION',
      `The HTTP and HTTPS ports are both ${options.httpPort}`,
      'Choose two different ports (--http-port, --https-port).',
      { field: 'httpsPort' },
    )
  }
  return options
}

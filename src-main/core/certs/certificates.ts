import { isIP } from 'node:net'
import type { CertificateStatus, ProxyKind } from '../../api/contract'
import type { Apps } from '../apps/apps'
import { appDomains, resolveAppSpec } from '../deploy/app-spec'
import { UserError } from '../errors'
import type { ScriptRunner } from '../remote/script-runner'
import type { Servers } from '../servers/servers'
import type { Target } from '../targets/target'
import { failed } from './cert-judge'
import { probeCertificate } from './cert-probe'

/** Each domain's check ends after this long (connection and handshake); the others go on. */
export const CHECK_TIMEOUT_MS = 8000

export interface CheckOptions {
  scripts: ScriptRunner
  /** Names the proxy container (`<prefix>-proxy`) and its folder; default `helvetia`. */
  prefix?: string
  timeoutMs?: number
  /** Authorities trusted besides the standard ones (tests). */
  extraCa?: readonly string[]
  signal?: AbortSignal
}

/** Where the proxy on the server serves HTTPS, as remote-scripts/proxy-endpoint.sh reports it. */
interface ProxyEndpoint {
  kind: ProxyKind
  host: string
  port: number
}

/**
 * The certificate the proxy on `target` serves for each of `hosts`, checked in parallel from the
 * server's side: a channel of its shared SSH connection to the proxy's HTTPS port there (no new
 * handshake, and the proxy is reached even where its ports are firewalled), then TLS with the host as
 * the server name. A failing host gets an `error` verdict; the call itself fails only when aborted.
 */
export async function checkCertificates(
  target: Target,
  hosts: readonly string[],
  options: CheckOptions,
): Promise<CertificateStatus[]> {
  if (hosts.length === 0) return []
  let endpoint: ProxyEndpoint
  try {
    endpoint = await proxyEndpoint(target, options)
  } catch (error) {
    options.signal?.throwIfAborted()
    const message =
      error instanceof UserError
        ? [error.message, error.hint].flatMap((text) => (text ? [sentence(text)] : [])).join(' ')
        : String(error)
    return hosts.map((host) => ({ ...failed(host, message), proxy: null }))
  }
  return Promise.all(
    hosts.map(async (host) => {
      const signal = AbortSignal.any([
        AbortSignal.timeout(options.timeoutMs ?? CHECK_TIMEOUT_MS),
        ...(options.signal ? [options.signal] : []),
      ])
      // A connection from the server to the proxy; on "this computer", a plain one.
      const verdict = await options.scripts.connect(target, endpoint.host, endpoint.port, signal).then(
        (stream) => probeCertificate(host, stream, { signal, extraCa: options.extraCa }),
        (error: Error) =>
          failed(
            host,
            signal.aborted
              ? 'The proxy did not answer in time.'
              : `Could not reach the proxy: ${error.message}`,
          ),
      )
      options.signal?.throwIfAborted()
      return { ...verdict, proxy: endpoint.kind }
    }),
  )
}

/** The app's HTTPS domains (as deployed from its current settings) and their certificates. */
export function createCertificates(deps: { apps: Apps; servers: Servers } & Omit<CheckOptions, 'signal'>) {
  const { apps, servers, ...options } = deps
  return {
    async forApp(name: string, signal?: AbortSignal): Promise<CertificateStatus[]> {
      const app = apps.record(name)
      const server = servers.byId(app.serverId)
      if (!server) {
        throw new UserError(
          'SERVER_NOT_FOUND',
          `The server of ${app.name} was removed.`,
          'Remove the app, or add the server again.',
        )
      }
      const hosts = appDomains(resolveAppSpec({ ...app.spec, name: app.name }), server.host)
        .filter((domain) => domain.https)
        .map((domain) => domain.host)
      return checkCertificates(servers.targetFor(server), hosts, { ...options, signal })
    },
  }
}

export type Certificates = ReturnType<typeof createCertificates>

async function proxyEndpoint(target: Target, options: CheckOptions): Promise<ProxyEndpoint> {
  const { facts } = await options.scripts.call(
    target,
    'proxy.endpoint',
    { prefix: options.prefix ?? 'helvetia' },
    { signal: options.signal },
  )
  const kind = facts.proxy
  const port = Number(facts['https-port'])
  const published = facts['https-address'] ?? ''
  if ((kind !== 'caddy' && kind !== 'traefik') || !Number.isInteger(port) || isIP(published) === 0) {
    throw new Error(`proxy-endpoint.sh reported ${JSON.stringify(facts)}`)
  }
  // Published on every address: the server reaches it on its loopback.
  const host = published === '0.0.0.0' ? '127.0.0.1' : published === '::' ? '::1' : published
  return { kind, host, port }
}

/** `text` ending as a sentence, to join it with the next one. */
const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`)

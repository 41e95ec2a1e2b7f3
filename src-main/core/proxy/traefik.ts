import type { ProxyOptions } from './proxy-options'
import { toYaml } from './yaml'

/** Where remote-scripts/provision.sh mounts things in the Traefik container. */
const DYNAMIC_DIR = '/etc/traefik/dynamic'
const ACME_STORAGE = '/data/acme.json'

/**
 * The HTTP→HTTPS redirect that HTTPS apps' routers on the `web` entry point use (see
 * src-main/core/deploy/proxy-routes.ts). remote-scripts/provision.sh writes it, with the HTTPS port
 * the server was provisioned with, to dynamic/_https-redirect.yml (no app's file has that name: app
 * names start with a letter).
 */
export const HTTPS_REDIRECT_MIDDLEWARE = 'https-redirect'

/**
 * Traefik's static configuration. Apps are routed only by files in the dynamic folder (file provider),
 * which Helvetia writes: there is no Docker provider and no Docker socket in the container, so no
 * image's `traefik.*` labels can route another app's or the relay's domain to itself (a read-only
 * socket would not help: the API it reaches is not read-only).
 * The `web` entry point redirects nothing by itself: an entry point redirection is a router that
 * claims every host, which would make `http://` domains impossible. Each HTTPS app redirects its own
 * hosts instead; Traefik's ACME HTTP-01 router (priority MaxInt on `web`) still comes first.
 */
export function traefikConfig(options: Pick<ProxyOptions, 'httpPort' | 'httpsPort' | 'email'>) {
  return {
    global: { checkNewVersion: false, sendAnonymousUsage: false },
    log: { level: 'INFO' },
    entryPoints: {
      web: { address: `:${options.httpPort}` },
      // Routers that name no entry point serve HTTPS, with a Let's Encrypt certificate.
      websecure: {
        address: `:${options.httpsPort}`,
        asDefault: true,
        http: { tls: { certResolver: 'letsencrypt' } },
      },
      // Only the health check's ping, inside the container: it is not published.
      traefik: { address: '127.0.0.1:8080' },
    },
    certificatesResolvers: {
      letsencrypt: {
        acme: {
          ...(options.email ? { email: options.email } : {}),
          storage: ACME_STORAGE,
          httpChallenge: { entryPoint: 'web' },
        },
      },
    },
    providers: {
      file: { directory: DYNAMIC_DIR, watch: true },
    },
    api: { dashboard: false, insecure: false },
    ping: { entryPoint: 'traefik' },
  }
}

export function traefikYaml(options: Pick<ProxyOptions, 'httpPort' | 'httpsPort' | 'email'>): string {
  return (
    '# Written by Helvetia (Traefik static configuration); changes here are overwritten on provisioning.\n' +
    toYaml(traefikConfig(options))
  )
}

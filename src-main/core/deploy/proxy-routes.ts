import { HTTPS_REDIRECT_MIDDLEWARE } from '../proxy/traefik'
import type { Domain } from './app-spec'

/**
 * An app's route in the proxy, as the per-app file each proxy reads (see src-main/core/proxy/): every
 * deployment writes its own, pointing at its container, and the switch replaces the app's file.
 */
export interface Route {
  app: string
  deploymentId: string
  domains: readonly Domain[]
  /** host:port of the container on the app network. */
  upstream: string
}

/**
 * Caddy site block for /etc/caddy/sites/<app>.caddy. `http://host` serves plain HTTP; a bare host gets
 * HTTPS with Caddy's automatic certificate and HTTP→HTTPS redirect. Host names are validated
 * (app-spec.ts), so nothing here can turn into Caddyfile syntax.
 */
export function caddyRoute(route: Route): string {
  const addresses = route.domains.map((d) => (d.https ? d.host : `http://${d.host}`))
  return [
    `# Written by Helvetia: app ${route.app}, deployment ${route.deploymentId}.`,
    `${addresses.join(', ')} {`,
    `\treverse_proxy ${route.upstream}`,
    '}',
    '',
  ].join('\n')
}

/**
 * Traefik dynamic configuration for dynamic/<app>.yml (the file provider watches the folder, since a
 * running container's labels cannot change). JSON is YAML, and needs no YAML writer for the lists.
 * HTTPS hosts use the `websecure` entry point with the Let's Encrypt resolver, and on `web` a router
 * that only redirects them to HTTPS (the middleware provisioning writes, which knows the server's
 * HTTPS port); plain hosts are served on `web`. Every router names the service, as Traefik requires.
 */
export function traefikRoute(route: Route): string {
  return `# Written by Helvetia: app ${route.app}, deployment ${route.deploymentId}.\n${JSON.stringify(traefikConfig(route), null, 2)}\n`
}

/** traefikRoute's configuration, for a file that holds several routes (a compose app's). */
export function traefikConfig(route: Route): { http: { routers: object; services: object } } {
  const rule = (domains: readonly Domain[]) => domains.map((d) => `Host(\`${d.host}\`)`).join(' || ')
  const secure = route.domains.filter((d) => d.https)
  const plain = route.domains.filter((d) => !d.https)
  const routers: Record<string, unknown> = {}
  if (secure.length > 0) {
    routers[`${route.app}-https`] = {
      rule: rule(secure),
      entryPoints: ['websecure'],
      service: route.app,
      tls: { certResolver: 'letsencrypt' },
    }
    routers[`${route.app}-redirect`] = {
      rule: rule(secure),
      entryPoints: ['web'],
      middlewares: [HTTPS_REDIRECT_MIDDLEWARE],
      service: route.app,
    }
  }
  if (plain.length > 0) {
    routers[`${route.app}-http`] = { rule: rule(plain), entryPoints: ['web'], service: route.app }
  }
  return {
    http: {
      routers,
      services: { [route.app]: { loadBalancer: { servers: [{ url: `http://${route.upstream}` }] } } },
    },
  }
}

import type { ProxyOptions } from './proxy-options'

/** Answered by the proxy itself; remote-scripts/provision.sh polls it to know Caddy is up. */
export const CADDY_HEALTH_PATH = '/.well-known/helvetia/health'

/**
 * The Caddyfile. Each app's site is a file in /etc/caddy/sites/ (mounted from the server's
 * ~/.helvetia/proxy/caddy/etc/sites), picked up with `caddy reload`, which talks to the admin API
 * on localhost inside the container. Sites with a host name get HTTPS and the HTTP→HTTPS redirect
 * from Caddy automatically.
 */
export function caddyfile(options: Pick<ProxyOptions, 'httpPort' | 'httpsPort' | 'email'>): string {
  return [
    '# Written by Helvetia; changes here are overwritten on provisioning. Apps live in sites/.',
    '{',
    ...(options.email ? [`\temail ${options.email}`] : []),
    '\tadmin localhost:2019',
    `\thttp_port ${options.httpPort}`,
    `\thttps_port ${options.httpsPort}`,
    '}',
    '',
    '# Any request no site claims, and the health check.',
    'http:// {',
    `\trespond ${CADDY_HEALTH_PATH} "ok" 200`,
    '\trespond "No app is published at this address." 404',
    '}',
    '',
    'import /etc/caddy/sites/*.caddy',
    '',
  ].join('\n')
}

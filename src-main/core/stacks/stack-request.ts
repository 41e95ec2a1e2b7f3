/**
 * The parts of a deploy request that make it a compose app's (remote-scripts/stack-run.sh reads them):
 * the override compose merges into the app's file, the routes, and the proxy's files for them.
 */
import type { ComposeSettings } from '../../api/stacks'
import type { Domain } from '../deploy/app-spec'
import { parseDomain } from '../deploy/app-spec'
import { caddyRoute, traefikConfig, type Route } from '../deploy/proxy-routes'
import { UserError } from '../errors'
import type { TarFile } from '../source/tar-writer'
import type { ComposeFile } from './compose-file'

/** Where a compose app's images are tagged on the server: `REPO:DEPLOYMENT-SERVICE`, kept for rollback. */
export const stackImageRepo = (prefix: string, app: string) => `${prefix}/stacks/${app}`

/**
 * The name the proxy reaches a routed service by, on Helvetia's network: per deployment for a service
 * switched with zero downtime (the old and the new container are both there until the switch).
 */
export function serviceUpstreamHost(app: string, service: string, id: string, zeroDowntime: boolean): string {
  return zeroDowntime ? `${service}-${id}.${app}` : `${service}.${app}`
}

/**
 * What compose merges into the app's file: Helvetia's labels on every service (how its removal and
 * metrics find them) and on the named volumes (so the removal's keep/delete choice covers them), and
 * each built service's image named per deployment. A rollback has none: it runs the file it kept.
 */
export function stackOverride(prefix: string, app: string, id: string, file: ComposeFile | null): string {
  // Nothing to merge: an override without services would be read as a compose file of format 1.
  if (!file) return ''
  const labels = { 'dev.helvetia.app': app, 'dev.helvetia.prefix': prefix }
  const services = Object.fromEntries(
    file.services.map((s) => [
      s.name,
      { labels, ...(s.built ? { image: `${stackImageRepo(prefix, app)}:${id}-${s.name}` } : {}) },
    ]),
  )
  const volumes = Object.fromEntries(
    file.volumes.map((v) => [v, { labels: { ...labels, 'dev.helvetia.managed': 'true' } }]),
  )
  return `${JSON.stringify({ services, ...(file.volumes.length ? { volumes } : {}) })}\n`
}

/**
 * The request's files for a compose app: compose-override.json, routes (`SERVICE PORT ZD UPSTREAM
 * VERIFY_HOST` lines, `-` for no plain-HTTP host to verify through), and the proxy's site files.
 */
export function stackRequestFiles(input: {
  prefix: string
  app: string
  id: string
  compose: ComposeSettings
  file: ComposeFile | null
}): TarFile[] {
  const { app, id, compose } = input
  const routes = compose.routes.map((r) => {
    const zeroDowntime = compose.zeroDowntime.includes(r.service)
    const domains: Domain[] = r.domains.map(parseDomain)
    if (r.port === undefined) {
      throw new UserError(
        'INVALID_OPTION',
        `The route of ${r.service} has no port, and a rollback does not read the compose file.`,
        `Give the port: helvetia app update ${app} --route ${r.service}:PORT=${r.domains[0] ?? 'DOMAIN'}, or deploy.`,
      )
    }
    const route: Route = {
      app: `${app}.${r.service}`,
      deploymentId: id,
      domains,
      upstream: `${serviceUpstreamHost(app, r.service, id, zeroDowntime)}:${r.port}`,
    }
    const verify = domains.find((d) => !d.https)?.host ?? '-'
    return { route, line: `${r.service} ${r.port} ${zeroDowntime ? 1 : 0} ${route.upstream} ${verify}\n` }
  })
  const traefik = { http: { routers: {}, services: {} } }
  for (const { route } of routes) {
    const { http } = traefikConfig(route)
    Object.assign(traefik.http.routers, http.routers)
    Object.assign(traefik.http.services, http.services)
  }
  const header = `# Written by Helvetia: app ${app}, deployment ${id}.\n`
  const file = (path: string, data: string): TarFile => ({ path, data: Buffer.from(data), mode: 0o600 })
  return [
    file('compose-override.json', stackOverride(input.prefix, app, id, input.file)),
    file('routes', routes.map((r) => r.line).join('')),
    file('site.caddy', header + routes.map((r) => caddyRoute(r.route)).join('')),
    file('site.traefik.yml', `${header}${JSON.stringify(traefik, null, 2)}\n`),
  ]
}

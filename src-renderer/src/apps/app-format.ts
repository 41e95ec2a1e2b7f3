/** How apps read to people: their addresses, sources, statuses and deployments. Pure functions. */
import { APP_NAME } from '../../../src-main/api/apps'
import type { AppStatus, Deployment } from '../../../src-main/api/contract'

export interface AppUrl {
  url: string
  host: string
  https: boolean
  /** The `<app>.<ip>.sslip.io` address the core gives an app without domains. */
  generated: boolean
}

/**
 * The app's addresses as the core routes them (core/deploy/app-spec.ts `appDomains`): its domains as
 * written (`http://` plain HTTP, bare or `https://` HTTPS), else `<app>.<server-ip>.sslip.io` over HTTPS
 * when the server is reached by IP address; none otherwise (the deploy then asks for a domain).
 */
export function appUrls(
  name: string,
  domains: readonly string[] | undefined,
  serverHost: string | undefined,
) {
  if (domains?.length) {
    return domains.map((domain): AppUrl => {
      const written = domain.trim().toLowerCase()
      const https = !written.startsWith('http://')
      const host = written.replace(/^https?:\/\//, '').replace(/\/$/, '')
      return { url: `${https ? 'https' : 'http'}://${host}/`, host, https, generated: false }
    })
  }
  const label = serverHost && ipLabel(serverHost)
  if (!label) return []
  const host = `${name}.${label}.sslip.io`
  return [{ url: `https://${host}/`, host, https: true, generated: true }]
}

/** An IP address as a DNS label part (IPv6 colons become dashes), or null for a host name. */
function ipLabel(host: string): string | null {
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(host)) return host
  if (host.includes(':') && /^[0-9a-f:.]+$/i.test(host)) return host.replaceAll(':', '-')
  return null
}

/** What is wrong with an app name as typed, checked with the core's own rule; undefined when fine. */
export function appNameError(name: string): string | undefined {
  if (name === '') return 'Give the app a name.'
  if (APP_NAME.test(name)) return undefined
  if (name.length > 40) return 'Use at most 40 characters.'
  if (/[^a-z0-9-]/.test(name)) return 'Use only lowercase letters, digits and dashes.'
  if (!/^[a-z]/.test(name)) return 'Start with a letter.'
  return 'End with a letter or a digit.'
}

export { describeSource } from '../../../src-main/api/apps'

export type AppState = 'live' | 'deploying' | 'failed' | 'never'

export const STATE_LABELS: Record<AppState, string> = {
  live: 'Live',
  deploying: 'Deploying',
  failed: 'Failed',
  never: 'Never deployed',
}

/** Deploying while the newest deployment runs; live while one serves; failed when none does after one failed. */
export function appState(status: Pick<AppStatus, 'live' | 'latest'>, deploying = false): AppState {
  if (deploying || status.latest?.status === 'running' || status.latest?.status === 'queued')
    return 'deploying'
  if (status.live) return 'live'
  return status.latest ? 'failed' : 'never'
}

/** The first characters of a commit or content hash: enough to tell versions apart. */
export const shortId = (id: string): string => id.slice(0, 12)

export function describeDeploymentSource(deployment: Deployment): string {
  if (deployment.rollbackOf) return `Rollback of ${deployment.rollbackOf}`
  return `${deployment.source.kind} ${shortId(deployment.source.id)}`
}

/** "42 s", "3 min 5 s"; null while it has not finished. */
export function deploymentDuration(deployment: Deployment): string | null {
  if (!deployment.finishedAt) return null
  const start = Date.parse(deployment.startedAt ?? deployment.createdAt)
  const seconds = Math.max(0, Math.round((Date.parse(deployment.finishedAt) - start) / 1000))
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`
}

/** "just now", "5 minutes ago", "3 days ago": for a when that people scan rather than read. */
export function timeAgo(iso: string, now = Date.now()): string {
  const seconds = Math.round((now - Date.parse(iso)) / 1000)
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' })
  if (seconds < 45) return 'just now'
  if (seconds < 3600) return format.format(-Math.round(seconds / 60), 'minute')
  if (seconds < 86400) return format.format(-Math.round(seconds / 3600), 'hour')
  return format.format(-Math.round(seconds / 86400), 'day')
}

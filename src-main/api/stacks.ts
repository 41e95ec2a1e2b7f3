/**
 * Compose stacks: an app made of the services of a compose file, deployed with the server's
 * `docker compose` (v2) or `docker-compose` (v1). Types, plain data and input schemas only.
 */
import { z } from 'zod'
import { call, text } from './spec'

/** How an app runs a compose file (AppInput.compose). */
export interface ComposeSettings {
  /** The compose file's path inside the app's source (a folder, a git repository, or a catalogue template). */
  file: string
  /** The services the proxy routes to: each one's domains (as AppInput.domains) and the port it listens on. */
  routes: { service: string; domains: string[]; port?: number }[]
  /**
   * Routed, stateless services switched with zero downtime (a new container beside the old one, as for
   * a single-container app); every other service is recreated in place by compose.
   */
  zeroDowntime: string[]
}

/** One service of a compose app as it runs now. */
export interface ServiceStatus {
  service: string
  /** `running`, or what Docker says (`exited`, `restarting`, `missing`). */
  state: string
  health: 'healthy' | 'unhealthy' | 'starting' | null
  image: string
  /** Its domains, when routed. */
  domains: string[]
  zeroDowntime: boolean
  replicas: number
}

export const stacksContract = {
  /** The services of a compose app (COMPOSE_ONLY for an app that is not one). */
  'stacks:services': call(z.strictObject({ name: text })).returns<ServiceStatus[]>(),
} as const

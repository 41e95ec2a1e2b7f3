import { randomBytes } from 'node:crypto'
import { PATTERNS, whole } from './patterns'

/**
 * A deployment's id: `YYYYMMDD-HHMMSS-xxxx`, the UTC time it was made and random hex digits. It sorts by
 * time, and is a valid image tag and DNS label part. The desktop makes it for the deploys it starts;
 * a server makes it for a push it deploys by itself (`new_deployment_id` in remote-scripts/lib/rules.sh,
 * generated from DEPLOYMENT_ID_FORMAT).
 */
export const DEPLOYMENT_ID_FORMAT = {
  /** strftime(3), in UTC. */
  stamp: '%Y%m%d-%H%M%S',
  /** Random bytes after the stamp, in hex. */
  randomBytes: 2,
} as const

export const DEPLOYMENT_ID = whole(PATTERNS.deploymentId)

export function newDeploymentId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
  return `${stamp}-${randomBytes(DEPLOYMENT_ID_FORMAT.randomBytes).toString('hex')}`
}

/**
 * A deployment as the server records it (~/.PREFIX/apps/APP/deployments/ID/meta.json, rendered by
 * remote-scripts/lib/deploy-common.sh) and the app's history as deploy-history.sh prints it.
 */
import type { AppHistory, Deployment, DeploymentStatus } from '../../api/apps'

export type { AppHistory, Deployment, DeploymentStatus } from '../../api/apps'

export function parseDeployment(meta: Record<string, string>): Deployment {
  const text = (key: string) => meta[key] ?? null
  return {
    id: meta.id ?? '',
    app: meta.app ?? '',
    status: (meta.status ?? 'failed') as DeploymentStatus,
    trigger: meta.trigger ?? '',
    source: {
      // A pull runs a prebuilt image: its id is the image's reference.
      kind: (meta.source_kind === 'pull'
        ? 'image'
        : (meta.source_kind ?? 'folder')) as Deployment['source']['kind'],
      id: meta.source_id ?? '',
    },
    rollbackOf: text('rollback_of'),
    createdAt: meta.created_at ?? '',
    startedAt: text('started_at'),
    finishedAt: text('finished_at'),
    image: text('image'),
    container: text('container'),
    releaseRan: meta.release_command === 'ran',
    builder: text('builder'),
    digest: text('digest'),
    templateVersion: text('template_version'),
    error: meta.error_code
      ? {
          code: meta.error_code,
          message: meta.error_message ?? '',
          hint: text('error_hint') || null,
          lastLines: text('lastLines'),
        }
      : null,
  }
}

/** deploy-history.sh's output: `app <json>`, `current <id>` and `deployment <json>` lines. */
export function parseHistory(lines: readonly string[]): AppHistory {
  const history: AppHistory = { app: null, current: null, deployments: [] }
  for (const line of lines) {
    const space = line.indexOf(' ')
    const kind = line.slice(0, space)
    const rest = line.slice(space + 1)
    if (kind === 'app') history.app = JSON.parse(rest) as Record<string, unknown>
    else if (kind === 'current') history.current = rest.trim()
    else if (kind === 'deployment')
      history.deployments.push(parseDeployment(JSON.parse(rest) as Record<string, string>))
  }
  history.deployments.sort((a, b) => a.id.localeCompare(b.id))
  return history
}

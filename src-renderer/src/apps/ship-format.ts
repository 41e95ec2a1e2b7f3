/** How an app's services, processes, jobs and build plan read to people. Pure functions. */
import type { DetectedStack, JobRun, ProcessStatus, ServiceStatus } from '../../../src-main/api/contract'

export const STACK_LABELS: Record<DetectedStack, string> = {
  dockerfile: 'Its own Dockerfile',
  node: 'Node.js',
  python: 'Python',
  go: 'Go',
  ruby: 'Ruby',
  php: 'PHP',
  static: 'Static site',
}

/** The status pill's label and look (the apps' pill classes) for a service as Docker reports it. */
export function serviceState({ state, health }: Pick<ServiceStatus, 'state' | 'health'>): {
  label: string
  pill: string
} {
  if (state === 'running') {
    if (health === 'unhealthy') return { label: 'Unhealthy', pill: 'pill-failed' }
    if (health === 'starting') return { label: 'Starting', pill: 'pill-deploying' }
    return { label: health === 'healthy' ? 'Healthy' : 'Running', pill: 'pill-live' }
  }
  if (state === 'restarting') return { label: 'Restarting', pill: 'pill-deploying' }
  const label = state === 'exited' ? 'Stopped' : state === 'missing' ? 'Missing' : state
  return { label: label.charAt(0).toUpperCase() + label.slice(1), pill: 'pill-failed' }
}

/** How a new version of the service replaces the old one. */
export const switchLabel = (zeroDowntime: boolean): string => (zeroDowntime ? 'Zero downtime' : 'Recreated')

/** "2 of 2 running", "0 of 1 running". */
export const processRunning = ({ running, replicas }: Pick<ProcessStatus, 'running' | 'replicas'>): string =>
  `${running} of ${replicas} running`

/** "850 ms", "42 s", "3 min 5 s", "2 h 4 min". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`
  const seconds = Math.round(ms / 1000)
  if (seconds < 60) return `${seconds} s`
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`
}

/** A job run's outcome in a few words: "Failed (exit 3) in 2 s", "Succeeded in 850 ms", "Running". */
export function describeRun(run: Pick<JobRun, 'state' | 'exitCode' | 'durationMs'>): string {
  if (run.state === 'running') return 'Running'
  const took = run.durationMs === null ? '' : ` in ${formatDuration(run.durationMs)}`
  if (run.state === 'failed') return `Failed${run.exitCode === null ? '' : ` (exit ${run.exitCode})`}${took}`
  return `Succeeded${took}`
}

/** The badge class for a run's state (the deployments' badges). */
export const RUN_BADGES: Record<JobRun['state'], string> = {
  running: 'badge-running',
  succeeded: 'badge-done',
  failed: 'badge-failed',
}

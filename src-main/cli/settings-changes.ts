import type { AppSource, StoredSpec } from '../core/store/app-store'
import { resolveAppSpec, type AppSpec } from '../core/deploy/app-spec'

interface Settings {
  name: string
  spec: StoredSpec
  source: AppSource
}

/** Each setting as `app update` reports it, defaults filled in. */
const SHOWN: [label: string, show: (spec: AppSpec, source: AppSource) => string][] = [
  ['port', (s) => String(s.port)],
  ['domains', (s) => s.domains.join(' ') || '(default)'],
  ['health check', (s) => (s.health.kind === 'http' ? `HTTP ${s.health.path}` : 'the image’s HEALTHCHECK')],
  ['health check interval', (s) => `${s.health.intervalS}s`],
  ['health check timeout', (s) => `${s.health.timeoutS}s`],
  ['health check retries', (s) => String(s.health.retries)],
  ['health check start period', (s) => `${s.health.startPeriodS}s`],
  ['memory limit', (s) => s.resources.memory ?? 'none'],
  ['CPU limit', (s) => String(s.resources.cpus ?? 'none')],
  ['process limit', (s) => String(s.resources.pids ?? 'default')],
  ['restart policy', (s) => s.restart],
  ['images kept', (s) => String(s.keepImages)],
  ['drain time', (s) => `${s.drainS}s`],
  ['volumes', (s) => s.volumes.map((v) => `${v.source}:${v.path}`).join(' ') || 'none'],
  ['release command', (s) => s.releaseCommand ?? 'none'],
  [
    'processes',
    (s) =>
      s.processes
        ?.map((p) => `${p.name}×${p.replicas ?? 1}${p.command ? `: ${p.command}` : ''}`)
        .join('; ') ?? '(the Procfile’s, else web)',
  ],
  ['branch', (_s, source) => (source.kind === 'git' ? (source.branch ?? '(default branch)') : '')],
]

/** One `setting: before → after` line per setting that differs. */
export function describeChanges(before: Settings, after: Settings): string[] {
  const was = resolveAppSpec({ ...before.spec, name: before.name })
  const now = resolveAppSpec({ ...after.spec, name: after.name })
  return SHOWN.flatMap(([label, show]) => {
    const from = show(was, before.source)
    const to = show(now, after.source)
    return from === to ? [] : [`${label}: ${from} → ${to}`]
  })
}

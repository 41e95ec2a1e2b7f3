import { useCallback } from 'react'
import { api } from '../session-store'
import { href } from '../shell/router'
import { AlertIcon } from '../ui/icons'
import { timeAgo } from './app-format'
import { describeRun } from './ship-format'
import { useRead } from './use-read'

/** On the overview: each scheduled job whose last run failed, leading to its log. Nothing otherwise. */
export function FailedJobsNote({ app }: { app: string }) {
  const read = useCallback(() => api().call('jobs:list', { app }), [app])
  const { task } = useRead(read)
  // The jobs tab says why they could not be read; the overview stays quiet about it.
  if (task?.status !== 'done') return null
  const failed = task.value.filter((job) => job.lastRun?.state === 'failed')
  return failed.map((job) => (
    <div key={job.name} className="note note-danger" role="status">
      <AlertIcon />
      <div className="note-body">
        <p className="note-title">
          Scheduled job {job.name} failed {job.lastRun ? timeAgo(job.lastRun.startedAt) : ''}:{' '}
          {job.lastRun ? describeRun(job.lastRun) : ''}
        </p>
        <p className="note-hint">
          <a href={href({ page: 'app', name: app, tab: 'processes' })}>See its log</a>
        </p>
      </div>
    </div>
  ))
}

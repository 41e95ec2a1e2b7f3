import { useCallback, useEffect, useState } from 'react'
import type { Job, JobRun } from '../../../src-main/api/contract'
import { useAction } from '../databases/use-action'
import { api } from '../session-store'
import { Button } from '../ui/button'
import { Dialog } from '../ui/dialog'
import { ErrorNote } from '../ui/error-note'
import { formatDate } from '../ui/format'
import { LogsIcon, RocketIcon } from '../ui/icons'
import { Panel } from '../ui/panel'
import { runTask, type Task } from '../ui/task'
import { timeAgo } from './app-format'
import { describeRun, RUN_BADGES } from './ship-format'
import { useRead } from './use-read'
import './ship.css'

/** The app's scheduled jobs, each with its last run (a failed one flagged, its log a click away). */
export function JobsPanel({ app }: { app: string }) {
  const read = useCallback(() => api().call('jobs:list', { app }), [app])
  const { task, refresh } = useRead(read)
  const action = useAction()
  const [log, setLog] = useState<{ job: string; run: JobRun } | null>(null)
  const runNow = (job: string): void =>
    void action.run(`run:${job}`, () => api().call('jobs:run', { app, name: job })).then(refresh)
  return (
    <Panel title="Scheduled jobs">
      <p className="muted">
        Run by the server on their schedule (its time zone), with or without this computer; add one with{' '}
        <code>helvetia job add {app} NAME --cron "0 3 * * *" --command "…"</code>.
      </p>
      {action.failure && <ErrorNote failure={action.failure} />}
      {task === undefined || task.status === 'running' ? (
        <p className="muted" aria-busy="true">
          Reading the jobs from the server…
        </p>
      ) : task.status === 'failed' ? (
        <ErrorNote failure={task.failure} />
      ) : task.value.length === 0 ? (
        <p className="muted">No scheduled jobs.</p>
      ) : (
        <div className="table-frame">
          <table className="table" aria-label="Scheduled jobs">
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">Schedule</th>
                <th scope="col">Last run</th>
                <th scope="col">Next run</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {task.value.map((job) => (
                <JobRow
                  key={job.name}
                  job={job}
                  running={action.running === `run:${job.name}`}
                  onRun={() => runNow(job.name)}
                  onLog={(run) => setLog({ job: job.name, run })}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {log && <RunLogDialog app={app} job={log.job} run={log.run} onClose={() => setLog(null)} />}
    </Panel>
  )
}

function JobRow(props: { job: Job; running: boolean; onRun(): void; onLog(run: JobRun): void }) {
  const { job, running, onRun, onLog } = props
  const last = job.lastRun
  return (
    <tr className={last?.state === 'failed' ? 'job-failed' : undefined}>
      <td>
        <span className="job-name">{job.name}</span>
        <span className="mono muted job-command">{job.command}</span>
      </td>
      <td className="mono">{job.cron}</td>
      <td>
        {last ? (
          <span className="job-run">
            <span className={`badge ${RUN_BADGES[last.state]}`}>{describeRun(last)}</span>
            <span className="muted" title={formatDate(last.startedAt)}>
              {timeAgo(last.startedAt)}
            </span>
          </span>
        ) : (
          <span className="muted">Not run yet</span>
        )}
      </td>
      <td>{job.nextRunAt ? formatDate(job.nextRunAt) : <span className="muted">—</span>}</td>
      <td>
        <div className="row-actions">
          {last && (
            <Button icon={<LogsIcon />} onClick={() => onLog(last)}>
              Log
            </Button>
          )}
          <Button icon={<RocketIcon />} busy={running} onClick={onRun}>
            Run now
          </Button>
        </div>
      </td>
    </tr>
  )
}

/** One run's log (secrets masked by the core), read when opened. */
function RunLogDialog(props: { app: string; job: string; run: JobRun; onClose(): void }) {
  const { app, job, run, onClose } = props
  const [log, setLog] = useState<Task<{ log: string }>>({ status: 'running' })
  useEffect(
    () => void runTask(() => api().call('jobs:run-log', { app, name: job, run: run.id }), setLog),
    [app, job, run.id],
  )
  return (
    <Dialog
      title={`${job}: run of ${formatDate(run.startedAt)}`}
      className="dialog-wide"
      onClose={onClose}
      actions={
        <Button onClick={onClose} autoFocus>
          Close
        </Button>
      }
    >
      <p>
        <span className={`badge ${RUN_BADGES[run.state]}`}>{describeRun(run)}</span>
      </p>
      {log.status === 'running' ? (
        <p className="muted" aria-busy="true">
          Reading the log…
        </p>
      ) : log.status === 'failed' ? (
        <ErrorNote failure={log.failure} />
      ) : (
        <pre className="code-block" tabIndex={0} aria-label={`Log of ${job}`}>
          {log.value.log || '(The run wrote nothing.)'}
        </pre>
      )}
    </Dialog>
  )
}

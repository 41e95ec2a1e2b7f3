import type { AppStatus, AppSummary, Deployment } from '../../../src-main/api/contract'
import { UpdateNote } from '../catalog/upgrade-dialog'
import { AppDatabases } from '../databases/app-databases'
import { href } from '../shell/router'
import { Button } from '../ui/button'
import { ErrorNote } from '../ui/error-note'
import { formatDate } from '../ui/format'
import { ExternalIcon, RocketIcon } from '../ui/icons'
import { Panel } from '../ui/panel'
import { Properties, type PropertyRow } from '../ui/properties'
import { describeDeploymentSource, shortId, timeAgo } from './app-format'
import { BuildPlanPanel, useBuildPlan } from './build-plan'
import { FailedJobsNote } from './failed-jobs-note'
import { CertificateChip } from './certificate-chip'
import { useAppUrls } from './use-app-urls'
import { useCertificates } from './use-certificates'
import { useApps } from './apps-store'
import { DeployFailure, DeployProgress } from './deploy-progress'
import { DeploymentLog } from './deployment-log'

export function AppOverview({ app }: { app: AppSummary }) {
  const status = useApps((state) => state.statuses[app.name])
  const run = useApps((state) => state.runs[app.name])
  const deploy = (): void => useApps.getState().deploy(app.name)
  const value = status?.status === 'done' ? status.value : null
  // A deployment started elsewhere (the CLI, a push) and still running: follow its log here too.
  const runningElsewhere =
    value?.latest && value.latest.status === 'running' && run?.id !== value.latest.id ? value.latest : null
  const neverDeployed = value !== null && !value.live && !value.latest && !run
  return (
    <div className="stack app-overview">
      <UpdateNote app={app} />
      <FailedJobsNote app={app.name} />
      {run && <DeployProgress app={app.name} run={run} />}
      {runningElsewhere && (
        <Panel title="Deployment running">
          <p className="muted">
            Deployment <span className="mono">{runningElsewhere.id}</span> ({runningElsewhere.trigger}) is
            running on the server.
          </p>
          <div className="deploy-log">
            <DeploymentLog app={app.name} id={runningElsewhere.id} />
          </div>
        </Panel>
      )}
      {neverDeployed && (
        <section className="panel first-deploy">
          <div className="first-deploy-text">
            <h2 className="empty-title">Not deployed yet</h2>
            <p className="muted">Deploy builds the app on {app.server} and puts it live behind the proxy.</p>
          </div>
          <Button variant="primary" icon={<RocketIcon />} onClick={deploy}>
            Deploy now
          </Button>
        </section>
      )}
      {neverDeployed && <FirstBuildPlan app={app} />}
      <div className="detail-grid">
        <AddressesPanel app={app} live={value?.live?.id ?? null} />
        <Panel title="Live deployment">
          {status === undefined || status.status === 'running' ? (
            <p className="muted">Reading its status from {app.server}…</p>
          ) : status.status === 'failed' ? (
            <ErrorNote failure={status.failure} />
          ) : (
            <LiveDeployment app={app.name} status={status.value} shownAbove={run?.id ?? null} />
          )}
        </Panel>
        <AppDatabases app={app} />
      </div>
    </div>
  )
}

/** Before the first deploy of an app built from source: what the build will do. */
function FirstBuildPlan({ app }: { app: AppSummary }) {
  const built = (app.source.kind === 'folder' || app.source.kind === 'git') && !app.spec.compose
  const plan = useBuildPlan(built ? { app: app.name } : null)
  return plan ? <BuildPlanPanel plan={plan} title="What the first build does" /> : null
}

/** `live`: the live deployment's id; the certificates are checked again when it changes. */
function AddressesPanel({ app, live }: { app: AppSummary; live: string | null }) {
  const urls = useAppUrls(app)
  const certificates = useCertificates(app.name, live)
  return (
    <Panel title="Addresses">
      {urls.length === 0 ? (
        <p className="muted">
          No domain: the server is reached by name, so there is no sslip.io address.{' '}
          <a href={href({ page: 'app', name: app.name, tab: 'settings' })}>Add a domain</a>
        </p>
      ) : (
        <ul className="url-list">
          {urls.map((url) => (
            <li key={url.url}>
              <a className="url-link mono" href={url.url} target="_blank" rel="noreferrer noopener">
                {url.url}
                <ExternalIcon />
              </a>
              {url.https ? (
                <CertificateChip host={url.host} check={certificates} />
              ) : (
                <span className="chip">HTTP only</span>
              )}
              {url.generated && <span className="muted url-note">sslip.io name for the server’s IP</span>}
            </li>
          ))}
        </ul>
      )}
      {pendingNotes(app).map(({ what, tab }) => (
        <p key={tab} className="note note-warning">
          <span className="note-body">
            {what} changes are waiting for the next deploy.{' '}
            <a href={href({ page: 'app', name: app.name, tab })}>See {tab}</a>
          </span>
        </p>
      ))}
    </Panel>
  )
}

/** `shownAbove`: the deployment whose progress (and failure) the page shows already. */
/** What the app has changed that its running version does not have yet. */
const pendingNotes = (app: AppSummary) => [
  ...(app.envPending ? [{ what: 'Env', tab: 'env' as const }] : []),
  ...(app.settingsPending ? [{ what: 'Settings', tab: 'settings' as const }] : []),
]

function LiveDeployment({
  app,
  status,
  shownAbove,
}: {
  app: string
  status: AppStatus
  shownAbove: string | null
}) {
  const { live, latest } = status
  const failedLatest =
    latest && latest.status === 'failed' && latest.id !== live?.id && latest.id !== shownAbove ? latest : null
  return (
    <>
      {live ? (
        <DeploymentProperties app={app} deployment={live} />
      ) : (
        <p className="muted">No version of the app is live yet.</p>
      )}
      {failedLatest && (
        <div className="stack latest-failed">
          <p>
            The newest deployment,{' '}
            <a className="mono" href={href({ page: 'deployment', app, id: failedLatest.id })}>
              {failedLatest.id}
            </a>
            , failed {timeAgo(failedLatest.finishedAt ?? failedLatest.createdAt)}.
          </p>
          <DeployFailure deployment={failedLatest} stillLive={live !== null} />
        </div>
      )}
    </>
  )
}

export function DeploymentProperties({
  app,
  deployment,
  extra = [],
}: {
  app: string
  deployment: Deployment
  extra?: PropertyRow[]
}) {
  const when = deployment.finishedAt ?? deployment.startedAt ?? deployment.createdAt
  const rows: PropertyRow[] = [
    [
      'Deployment',
      <a className="mono" href={href({ page: 'deployment', app, id: deployment.id })}>
        {deployment.id}
      </a>,
    ],
    ['When', <span title={formatDate(when)}>{`${formatDate(when)} (${timeAgo(when)})`}</span>],
    ['Trigger', deployment.trigger],
    ['Source', <span className="mono">{describeDeploymentSource(deployment)}</span>],
    ...(deployment.builder ? [['Builder', deployment.builder] as PropertyRow] : []),
    ...(deployment.digest
      ? [
          [
            'Digest',
            <span className="mono" title={deployment.digest}>
              {shortId(deployment.digest.replace(/^sha256:/, ''))}
            </span>,
          ] as PropertyRow,
        ]
      : []),
    ...(deployment.templateVersion ? [['Template version', deployment.templateVersion] as PropertyRow] : []),
    ...extra,
  ]
  return <Properties rows={rows} />
}

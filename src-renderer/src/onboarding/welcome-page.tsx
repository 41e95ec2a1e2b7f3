import type { ReactNode } from 'react'
import type { AppSummary, ServerSummary } from '../../../src-main/api/contract'
import { appUrls } from '../apps/app-format'
import { useApps } from '../apps/apps-store'
import { SHORTCUT_LABEL } from '../palette/palette-store'
import { ProvisionPanel } from '../servers/provision/provision-panel'
import { useServers } from '../servers/servers-store'
import { useWizard } from '../servers/wizard/wizard-store'
import { href, navigate } from '../shell/router'
import { Button, LinkButton } from '../ui/button'
import { CheckIcon, ExternalIcon, MonitorIcon, PlusIcon, RocketIcon, ServerIcon } from '../ui/icons'
import { PageHeader } from '../ui/page-header'
import { StepRow } from '../ui/step-row'
import { STEP_IDS, type Checklist, type StepId } from './checklist'
import { useChecklist } from './use-checklist'
import './onboarding.css'

const TITLES: Record<StepId, string> = {
  connect: 'Connect a server',
  provision: 'Provision it',
  create: 'Create an app',
  deploy: 'Deploy it',
}

/**
 * First run: from nothing to a live app. Each step is checked against real data and links to the
 * screen that does it; the current one shows its controls and live progress here.
 */
export function WelcomePage() {
  const list = useChecklist()
  return (
    <div className="onboarding">
      <PageHeader
        title="Welcome to Helvetia"
        description="Your own Heroku on any Linux server: four steps from nothing to a live app. This list follows what you do anywhere in Helvetia."
      />
      {list.loading ? (
        <p className="muted" aria-busy="true">
          Loading…
        </p>
      ) : (
        <>
          {list.live && <LiveBanner app={list.live.app} />}
          <section className="panel onboarding-checklist" aria-labelledby="onboarding-progress">
            <header className="panel-header">
              <h2 id="onboarding-progress" className="panel-title">
                Getting started
              </h2>
              <span className="chip" role="status">
                {list.doneCount} of {STEP_IDS.length} done
              </span>
            </header>
            <ol className="steps" aria-label="Steps to a live app">
              {STEP_IDS.map((id) => (
                <StepRow key={id} state={list.steps[id].state} label={TITLES[id]}>
                  <p className="onboarding-detail">{list.steps[id].detail}</p>
                  <StepControls id={id} list={list} />
                </StepRow>
              ))}
            </ol>
          </section>
        </>
      )}
    </div>
  )
}

/**
 * The controls beside a step: the current one's to do it, a done one's link to its screen. Deploying
 * is offered as soon as an app exists: its server may have been provisioned before this window knew.
 */
function StepControls({ id, list }: { id: StepId; list: Checklist }) {
  const { server, app } = list
  const current = list.current === id
  const done = list.steps[id].state === 'done'
  switch (id) {
    case 'connect':
      return current ? <ConnectChoices /> : null
    case 'provision':
      if (!server) return null
      if (current && !app) {
        return (
          <div className="onboarding-embed">
            <ProvisionPanel server={server} level={3} />
          </div>
        )
      }
      return (
        <Actions>
          {done ? (
            <LinkButton
              variant="ghost"
              href={href({ page: 'server', name: server.name })}
              icon={<ServerIcon />}
            >
              Open {server.name}
            </LinkButton>
          ) : (
            <LinkButton href={href({ page: 'provision', name: server.name })} icon={<RocketIcon />}>
              Provision {server.name}
            </LinkButton>
          )}
        </Actions>
      )
    case 'create':
      return current ? (
        <Actions>
          <LinkButton
            variant="primary"
            href={href({ page: 'new-app', server: server?.name })}
            icon={<PlusIcon />}
          >
            Create an app
          </LinkButton>
        </Actions>
      ) : null
    case 'deploy':
      return app ? <DeployControls app={app} offer={!done} /> : null
  }
}

function Actions({ children }: { children: ReactNode }) {
  return <div className="onboarding-actions">{children}</div>
}

/** Over SSH or this computer: both go through the connect wizard, this computer preselected. */
function ConnectChoices() {
  const servers = useServers((state) => state.servers)
  const useThisComputer = (): void => {
    const wizard = useWizard.getState()
    wizard.reset()
    wizard.setField('where', 'local')
    if (!servers?.some((server) => server.name === 'this-computer')) wizard.setField('name', 'this-computer')
    navigate({ page: 'connect' })
  }
  return (
    <Actions>
      <LinkButton
        variant="primary"
        href={href({ page: 'connect' })}
        icon={<ServerIcon />}
        onClick={() => useWizard.getState().reset()}
      >
        Connect a server
      </LinkButton>
      <Button icon={<MonitorIcon />} onClick={useThisComputer}>
        Use this computer
      </Button>
    </Actions>
  )
}

function DeployControls({ app, offer }: { app: AppSummary; offer: boolean }) {
  const run = useApps((state) => state.runs[app.name])
  const running = run?.status === 'running'
  return (
    <>
      {running && run.steps.length > 0 && (
        <ol className="steps onboarding-substeps" aria-label={`Deploying ${app.name}`}>
          {run.steps.map((step) => (
            <StepRow key={step.step} state={step.status} label={step.message} />
          ))}
        </ol>
      )}
      <Actions>
        {offer && (
          <Button
            variant="primary"
            icon={<RocketIcon />}
            busy={running}
            onClick={() => useApps.getState().deploy(app.name)}
          >
            {running ? `Deploying ${app.name}…` : `Deploy ${app.name}`}
          </Button>
        )}
        <LinkButton
          variant={offer ? 'secondary' : 'ghost'}
          href={href({ page: 'app', name: app.name, tab: 'overview' })}
        >
          Open {app.name}
        </LinkButton>
      </Actions>
    </>
  )
}

function LiveBanner({ app }: { app: AppSummary }) {
  const server = useServers((state) => state.servers?.find((s: ServerSummary) => s.name === app.server))
  const urls = appUrls(app.name, app.spec.domains, server?.host)
  return (
    <section className="panel onboarding-live" aria-labelledby="onboarding-live">
      <span className="done-icon">
        <CheckIcon />
      </span>
      <div className="stack">
        <h2 id="onboarding-live" className="onboarding-live-title">
          {app.name} is live
        </h2>
        {urls.length > 0 && (
          <ul className="onboarding-urls">
            {urls.map((url) => (
              <li key={url.url}>
                <a href={url.url} target="_blank" rel="noreferrer" className="mono">
                  {url.host}
                  <ExternalIcon />
                </a>
              </li>
            ))}
          </ul>
        )}
        <p className="muted">
          Deploy again whenever its code changes; press {SHORTCUT_LABEL} to reach any server, app or action.
        </p>
      </div>
    </section>
  )
}

import { href } from '../../shell/router'
import { Button, LinkButton } from '../../ui/button'
import { CheckIcon } from '../../ui/icons'
import { PageHeader } from '../../ui/page-header'
import { ProvisionPanel } from '../provision/provision-panel'
import { useProvision } from '../provision/provision-store'
import { AddressStep } from './address-step'
import { ChecksStep } from './checks-step'
import { HostKeyStep } from './host-key-step'
import { StepTitle } from './step-title'
import { useWizard, WIZARD_STEPS, type WizardStep } from './wizard-store'

export function ConnectPage() {
  const step = useWizard((state) => state.step)
  return (
    <div className="wizard">
      <PageHeader
        title="Connect a server"
        description="A Linux server you reach over SSH, or this computer. Over SSH, nothing is sent before you confirm the server’s host key."
      />
      <Stepper current={step} />
      {step === 'address' && <AddressStep />}
      {step === 'host-key' && <HostKeyStep />}
      {step === 'checks' && <ChecksStep />}
      {step === 'provision' && <ProvisionStep />}
      {step === 'done' && <DoneStep />}
    </div>
  )
}

function Stepper({ current }: { current: WizardStep }) {
  const local = useWizard((state) => state.form.where === 'local')
  // This computer has no host key to confirm.
  const steps = local ? WIZARD_STEPS.filter((step) => step.id !== 'host-key') : WIZARD_STEPS
  const index = steps.findIndex((step) => step.id === current)
  return (
    <ol className="stepper" aria-label="Steps">
      {steps.map((step, i) => (
        <li
          key={step.id}
          className={
            i < index ? 'stepper-item is-done' : i === index ? 'stepper-item is-current' : 'stepper-item'
          }
          aria-current={i === index ? 'step' : undefined}
        >
          <span className="stepper-dot">{i < index ? <CheckIcon /> : i + 1}</span>
          <span className="stepper-label">{step.label}</span>
        </li>
      ))}
    </ol>
  )
}

function ProvisionStep() {
  const added = useWizard((state) => state.added)
  const server = added?.status === 'done' ? added.value : null
  const done = useProvision((state) => (server ? state.runs[server.id]?.status === 'done' : false))
  const go = useWizard((state) => state.go)
  if (!server) return null
  return (
    <section className="wizard-step">
      <StepTitle>Provision {server.name}</StepTitle>
      <p className="muted">
        Installs Docker and a reverse proxy that serves your apps over HTTPS. You can also do this later from
        the server’s page.
      </p>
      <ProvisionPanel server={server} level={3} />
      <div className="wizard-actions">
        {done ? (
          <Button variant="primary" onClick={() => go('done')}>
            Continue
          </Button>
        ) : (
          <Button variant="ghost" onClick={() => go('done')}>
            Skip for now
          </Button>
        )}
      </div>
    </section>
  )
}

function DoneStep() {
  const added = useWizard((state) => state.added)
  const reset = useWizard((state) => state.reset)
  if (added?.status !== 'done') return null
  const { name } = added.value
  return (
    <section className="panel wizard-step done">
      <span className="done-icon">
        <CheckIcon />
      </span>
      <StepTitle>{name} is connected</StepTitle>
      <p className="muted">Helvetia pinned its host key and can reach it whenever you deploy.</p>
      <div className="wizard-actions">
        <LinkButton variant="primary" href={href({ page: 'server', name })} onClick={reset}>
          Open {name}
        </LinkButton>
        <Button onClick={reset}>Connect another server</Button>
      </div>
    </section>
  )
}

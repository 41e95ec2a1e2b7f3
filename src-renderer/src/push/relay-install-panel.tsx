import { useEffect, useRef, useState, type FormEvent } from 'react'
import type { InstalledRelay, RelayInstallProgress } from '../../../src-main/api/contract'
import { CopyButton } from '../github/copy-button'
import { api } from '../session-store'
import { Button } from '../ui/button'
import { ErrorNote } from '../ui/error-note'
import { TextField } from '../ui/field'
import { Panel } from '../ui/panel'
import { StepRow } from '../ui/step-row'
import { toFailure, type Failure } from '../ui/task'

type StepEvent = Extract<RelayInstallProgress, { type: 'step' }>

type Install =
  | { status: 'idle' }
  | { status: 'running'; steps: StepEvent[] }
  | { status: 'done'; steps: StepEvent[]; relay: InstalledRelay }
  | { status: 'failed'; steps: StepEvent[]; failure: Failure }

/**
 * Push to deploy's relay on this server, in one click: built and run on the server behind its proxy,
 * reached from here through the SSH connection, and deploying this server's git apps by itself.
 */
export function RelayInstallPanel({ server }: { server: string }) {
  const [domain, setDomain] = useState('')
  const [baseImage, setBaseImage] = useState('')
  const [install, setInstall] = useState<Install>({ status: 'idle' })
  const running = useRef<{ cancel(): void } | null>(null)
  useEffect(() => () => running.current?.cancel(), [])

  const start = (event: FormEvent): void => {
    event.preventDefault()
    const steps: StepEvent[] = []
    let relay: InstalledRelay | null = null
    setInstall({ status: 'running', steps })
    const subscription = api().subscribe(
      'push:install-relay',
      {
        server,
        ...(domain.trim() ? { domain: domain.trim() } : {}),
        ...(baseImage.trim() ? { baseImage: baseImage.trim() } : {}),
      },
      (item) => {
        if (item.type === 'step') {
          // A step's later state replaces its earlier one.
          const index = steps.findIndex((s) => s.step === item.step)
          if (index >= 0) steps[index] = item
          else steps.push(item)
          setInstall({ status: 'running', steps: [...steps] })
        } else if (item.type === 'installed') relay = item.relay
      },
    )
    running.current = subscription
    subscription.done.then(
      () => relay && setInstall({ status: 'done', steps, relay }),
      (error: unknown) => setInstall({ status: 'failed', steps, failure: toFailure(error) }),
    )
  }

  return (
    <Panel title="Push to deploy relay">
      <p className="muted">
        Receives GitHub's webhooks on this server and deploys this server's git apps on a push, even while
        this computer is off. Helvetia reaches it through the SSH connection; only GitHub uses its address.
      </p>
      <form className="stack" noValidate onSubmit={start} aria-label="Install relay">
        <TextField
          label="Domain"
          optional
          value={domain}
          onChange={setDomain}
          hint="Default: relay.<server address>.sslip.io over HTTPS. Write http://name for plain HTTP."
          spellCheck={false}
          disabled={install.status === 'running'}
        />
        <TextField
          label="Node image"
          optional
          value={baseImage}
          onChange={setBaseImage}
          hint="What the relay is built from, pulled on the server. Default: node:22-alpine."
          spellCheck={false}
          disabled={install.status === 'running'}
        />
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={install.status === 'running'}>
            {install.status === 'done' ? 'Install again' : 'Install relay'}
          </Button>
        </div>
      </form>
      {install.status !== 'idle' && install.steps.length > 0 && (
        <ol className="steps" aria-label="Relay installation">
          {install.steps.map((step) => (
            <StepRow key={step.step} state={step.status} label={step.message || step.step} />
          ))}
        </ol>
      )}
      {install.status === 'failed' && <ErrorNote failure={install.failure} />}
      {install.status === 'done' && (
        <p role="status">
          Relay running at <code>{install.relay.url}</code>{' '}
          <CopyButton text={install.relay.url} what="the relay's URL" />
          {install.relay.agentStartsAtBoot
            ? ' It starts again after a reboot.'
            : ' This server has no crontab: after a reboot, install it again.'}{' '}
          Connect an app to it from the app's Settings.
        </p>
      )}
    </Panel>
  )
}

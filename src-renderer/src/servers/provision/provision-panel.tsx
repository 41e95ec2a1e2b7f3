import { useRef, useState, type FormEvent } from 'react'
import { flushSync } from 'react-dom'
import type { ProxyKind, ServerSummary } from '../../../../src-main/api/contract'
import { Button } from '../../ui/button'
import { ChoiceGroup, TextField, type Choice } from '../../ui/field'
import { focusFirstInvalid } from '../../ui/forms'
import { RocketIcon } from '../../ui/icons'
import { Panel } from '../../ui/panel'
import { provisionErrors, provisionInput } from './provision-input'
import { ProvisionProgress } from './provision-progress'
import { DEFAULT_FORM, useProvision, type ProvisionForm, type ProvisionRun } from './provision-store'

const PROXIES: Choice<ProxyKind>[] = [
  {
    value: 'traefik',
    label: 'Traefik',
    description: 'The default. Finds your apps through Docker and renews their certificates.',
  },
  {
    value: 'caddy',
    label: 'Caddy',
    description: 'Small and simple, with automatic HTTPS.',
  },
]

const START_LABELS: Record<ProvisionRun['status'] | 'none', string> = {
  none: 'Provision',
  running: 'Provision',
  done: 'Provision again',
  failed: 'Retry provisioning',
  stopped: 'Provision',
}

/** Choose the proxy, run provisioning, follow it live. Shared by the wizard and the server page. */
export function ProvisionPanel({ server, level = 2 }: { server: ServerSummary; level?: 2 | 3 }) {
  const form = useProvision((state) => state.forms[server.id] ?? DEFAULT_FORM)
  const run = useProvision((state) => state.runs[server.id])
  const [showErrors, setShowErrors] = useState(false)
  const formRef = useRef<HTMLFormElement>(null)
  const errors = provisionErrors(form)
  const shown = showErrors ? errors : {}
  const running = run?.status === 'running'
  const set = (patch: Partial<ProvisionForm>): void => useProvision.getState().setForm(server, patch)

  const start = (): void => {
    if (Object.keys(errors).length > 0) {
      flushSync(() => setShowErrors(true))
      focusFirstInvalid(formRef.current)
      return
    }
    useProvision.getState().start(server, provisionInput(server.name, form))
  }
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    start()
  }

  return (
    <div className="stack">
      <Panel title="Reverse proxy and certificates" level={level}>
        <form ref={formRef} onSubmit={submit} noValidate>
          <fieldset className="plain-fieldset stack" disabled={running}>
            <ChoiceGroup
              legend="Reverse proxy"
              name={`proxy-${server.id}`}
              value={form.proxy}
              choices={PROXIES}
              onChange={(proxy) => set({ proxy })}
            />
            <TextField
              label="Email for Let’s Encrypt"
              type="email"
              autoComplete="email"
              optional
              value={form.email}
              onChange={(email) => set({ email })}
              error={shown.email}
              hint="Let’s Encrypt writes to it about certificates that are about to expire."
            />
            <details className="advanced">
              <summary>Advanced</summary>
              <div className="stack">
                <TextField
                  label="Proxy image"
                  optional
                  spellCheck={false}
                  value={form.proxyImage}
                  onChange={(proxyImage) => set({ proxyImage })}
                  error={shown.proxyImage}
                  hint="A Docker image to run instead of the proxy’s default one."
                />
                <div className="field-row">
                  <TextField
                    label="HTTP port"
                    inputMode="numeric"
                    placeholder="80"
                    optional
                    value={form.httpPort}
                    onChange={(httpPort) => set({ httpPort })}
                    error={shown.httpPort}
                  />
                  <TextField
                    label="HTTPS port"
                    inputMode="numeric"
                    placeholder="443"
                    optional
                    value={form.httpsPort}
                    onChange={(httpsPort) => set({ httpsPort })}
                    error={shown.httpsPort}
                  />
                </div>
                <TextField
                  label="Listen on address"
                  optional
                  spellCheck={false}
                  placeholder="0.0.0.0"
                  value={form.bind}
                  onChange={(bind) => set({ bind })}
                  error={shown.bind}
                  hint="The server address the proxy’s ports are published on. Empty: every address."
                />
              </div>
            </details>
          </fieldset>
          <div className="form-actions">
            {running ? (
              <Button onClick={() => useProvision.getState().stop(server)}>Stop</Button>
            ) : (
              <Button type="submit" variant="primary" icon={<RocketIcon />}>
                {START_LABELS[run?.status ?? 'none']}
              </Button>
            )}
          </div>
        </form>
      </Panel>
      {run && <ProvisionProgress run={run} onRetry={start} level={level} />}
    </div>
  )
}

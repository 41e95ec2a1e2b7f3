import { useRef, type FormEvent } from 'react'
import { flushSync } from 'react-dom'
import { Button } from '../../ui/button'
import { ChoiceGroup, TextField, type Choice } from '../../ui/field'
import { focusFirstInvalid } from '../../ui/forms'
import { Panel } from '../../ui/panel'
import { useServers } from '../servers-store'
import { addressErrors, type AddressForm, type SshAuthMethod } from './address-form'
import { StepTitle } from './step-title'
import { SshConfigPicker } from './ssh-config-picker'
import { useWizard } from './wizard-store'

const WHERE_CHOICES: Choice<AddressForm['where']>[] = [
  {
    value: 'ssh',
    label: 'A server over SSH',
    description: 'A VPS, a cloud instance, any Linux machine you can SSH into.',
  },
  {
    value: 'local',
    label: 'This computer',
    description: 'The machine Helvetia runs on, with its own Docker. No SSH.',
  },
]

const AUTH_CHOICES: Choice<SshAuthMethod>[] = [
  { value: 'agent', label: 'SSH agent', description: 'Use the keys your SSH agent already holds.' },
  { value: 'key-file', label: 'Private key file', description: 'A key file on this computer.' },
  {
    value: 'generated-key',
    label: 'Generate a key',
    description: 'Helvetia makes a key for this server and installs it with the password, once.',
  },
]

export function AddressStep() {
  const form = useWizard((state) => state.form)
  const showErrors = useWizard((state) => state.showErrors)
  const setField = useWizard((state) => state.setField)
  const servers = useServers((state) => state.servers)
  const formRef = useRef<HTMLFormElement>(null)
  const errors = addressErrors(form, servers?.map((server) => server.name) ?? [])
  const shown = showErrors ? errors : {}
  const remote = form.where === 'ssh'

  const submit = (event: FormEvent): void => {
    event.preventDefault()
    if (Object.keys(errors).length > 0) {
      flushSync(() => useWizard.getState().revealErrors())
      focusFirstInvalid(formRef.current)
      return
    }
    useWizard.getState().submitAddress()
  }

  return (
    <section className="wizard-step">
      <StepTitle>Address and authentication</StepTitle>
      <form ref={formRef} className="stack" onSubmit={submit} noValidate>
        <ChoiceGroup
          legend="Where your apps will run"
          name="where"
          value={form.where}
          choices={WHERE_CHOICES}
          onChange={(value) => setField('where', value)}
        />
        {remote && <SshConfigPicker />}
        <Panel title="Server" level={3}>
          <div className="form-grid">
            <TextField
              className="span-2"
              label="Name"
              value={form.name}
              onChange={(value) => setField('name', value)}
              error={shown.name}
              hint="How Helvetia and its CLI call this server: lowercase letters, digits and dashes."
              autoComplete="off"
              autoCapitalize="off"
              spellCheck={false}
            />
            {remote && (
              <>
                <TextField
                  label="Host"
                  value={form.host}
                  onChange={(value) => setField('host', value)}
                  error={shown.host}
                  placeholder="203.0.113.10 or server.example.com"
                  autoComplete="off"
                  autoCapitalize="off"
                  spellCheck={false}
                />
                <TextField
                  label="Port"
                  inputMode="numeric"
                  value={form.port}
                  onChange={(value) => setField('port', value)}
                  error={shown.port}
                />
                <TextField
                  className="span-2"
                  label="User"
                  value={form.user}
                  onChange={(value) => setField('user', value)}
                  error={shown.user}
                  hint="root, or a user that may use sudo without a password."
                  autoComplete="off"
                  autoCapitalize="off"
                  spellCheck={false}
                />
              </>
            )}
          </div>
        </Panel>
        {remote && <AuthenticationPanel shown={shown} />}
        <div className="wizard-actions">
          <Button type="submit" variant="primary">
            Continue
          </Button>
        </div>
      </form>
    </section>
  )
}

/** How Helvetia signs in to a server over SSH: the agent, a key file, or a key it generates. */
function AuthenticationPanel({ shown }: { shown: ReturnType<typeof addressErrors> }) {
  const form = useWizard((state) => state.form)
  const setField = useWizard((state) => state.setField)
  return (
    <Panel title="Authentication" level={3}>
      <div className="stack">
        <ChoiceGroup
          legend="Sign in with"
          name="auth"
          value={form.auth}
          choices={AUTH_CHOICES}
          onChange={(value) => setField('auth', value)}
        />
        {form.auth === 'key-file' && (
          <div className="form-grid">
            <TextField
              className="span-2"
              label="Key file path"
              value={form.identityFile}
              onChange={(value) => setField('identityFile', value)}
              error={shown.identityFile}
              placeholder="~/.ssh/id_ed25519"
              hint="A path on the computer that runs Helvetia."
              autoComplete="off"
              spellCheck={false}
            />
            <TextField
              className="span-2"
              label="Passphrase"
              type="password"
              optional
              value={form.passphrase}
              onChange={(value) => setField('passphrase', value)}
              hint="Only if the key has one. It is kept in your system keychain."
              autoComplete="off"
            />
          </div>
        )}
        {form.auth === 'generated-key' && (
          <TextField
            label="Server password"
            type="password"
            value={form.password}
            onChange={(value) => setField('password', value)}
            error={shown.password}
            hint={`The password of ${form.user.trim() || 'the user'} on the server. Used once to install the new key, never stored.`}
            autoComplete="off"
          />
        )}
      </div>
    </Panel>
  )
}

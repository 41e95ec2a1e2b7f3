import { useId } from 'react'
import type { HostKeyProbe } from '../../../../src-main/api/contract'
import { Button } from '../../ui/button'
import { ErrorNote } from '../../ui/error-note'
import { address } from '../../ui/format'
import { AlertIcon, InfoIcon, ShieldIcon } from '../../ui/icons'
import { Panel } from '../../ui/panel'
import { StepTitle } from './step-title'
import { useWizard } from './wizard-store'

export function HostKeyStep() {
  const probe = useWizard((state) => state.probe)
  const form = useWizard((state) => state.form)
  const { editAddress, probeHostKey } = useWizard.getState()
  const target = address({ user: null, host: form.host.trim(), port: Number(form.port) })
  return (
    <section className="wizard-step">
      <StepTitle>Confirm the host key</StepTitle>
      <p className="muted">
        Every SSH server proves who it is with its host key. Check that this is the key of your server before
        Helvetia sends it anything.
      </p>
      {probe?.status === 'running' && (
        <Panel>
          <p className="muted with-spinner" aria-busy="true">
            <span className="spinner" aria-hidden="true" />
            Reading the host key of <span className="mono">{target}</span>…
          </p>
        </Panel>
      )}
      {probe?.status === 'failed' && (
        <ErrorNote
          failure={probe.failure}
          actions={
            <>
              <Button variant="primary" onClick={() => void probeHostKey()}>
                Retry
              </Button>
              <Button onClick={editAddress}>Edit address</Button>
            </>
          }
        />
      )}
      {probe?.status === 'done' && <HostKey probe={probe.value} />}
    </section>
  )
}

/** The file on the server whose fingerprint `ssh-keygen -lf` prints, for this key type. */
function hostKeyFile(keyType: string): string {
  const kind = ['ed25519', 'ecdsa', 'rsa'].find((k) => keyType.toLowerCase().includes(k)) ?? '*'
  return `/etc/ssh/ssh_host_${kind}_key.pub`
}

function HostKey({ probe }: { probe: HostKeyProbe }) {
  const trusted = useWizard((state) => state.trusted)
  const { setTrusted, editAddress, probeHostKey, connect } = useWizard.getState()
  const checkboxId = useId()
  const mismatch = probe.status === 'mismatch'
  return (
    <>
      <Panel title="Host key" level={3}>
        <div className={mismatch ? 'key-block key-block-danger' : 'key-block'}>
          <p className="key-meta">
            <span className="chip">{probe.keyType}</span>
            <span className="mono">{address({ user: null, host: probe.host, port: probe.port })}</span>
          </p>
          <code className="mono key-fingerprint" data-testid="host-key-fingerprint">
            {probe.fingerprint}
          </code>
        </div>
        {probe.status === 'known' && (
          <p className="note note-success">
            <ShieldIcon />
            <span className="note-body">Your ~/.ssh/known_hosts already vouches for this key.</span>
          </p>
        )}
        {probe.status === 'unknown' && (
          <p className="note note-info">
            <InfoIcon />
            <span className="note-body">
              <span>
                First contact: nothing on this computer knows this server yet. Compare with what this prints
                on the server:
              </span>
              <code className="mono">ssh-keygen -lf {hostKeyFile(probe.keyType)}</code>
            </span>
          </p>
        )}
        {mismatch && (
          <div className="note note-danger note-strong" role="alert">
            <AlertIcon />
            <div className="note-body">
              <p className="note-title">This is not the key your ~/.ssh/known_hosts has for this server.</p>
              <p className="note-hint">
                Someone may be intercepting the connection, or the server was reinstalled. Helvetia will not
                connect. If you know the key changed, remove the old entry with{' '}
                <code className="mono">
                  ssh-keygen -R {probe.port === 22 ? probe.host : `'[${probe.host}]:${probe.port}'`}
                </code>{' '}
                and check again.
              </p>
            </div>
          </div>
        )}
        {!mismatch && (
          <div className="confirm">
            <input
              id={checkboxId}
              type="checkbox"
              checked={trusted}
              onChange={(event) => setTrusted(event.target.checked)}
            />
            <label htmlFor={checkboxId}>I compared this fingerprint with my server’s, and I trust it</label>
          </div>
        )}
      </Panel>
      <div className="wizard-actions">
        <Button onClick={editAddress}>Back</Button>
        {mismatch ? (
          <Button variant="primary" onClick={() => void probeHostKey()}>
            Check again
          </Button>
        ) : (
          <Button variant="primary" disabled={!trusted} onClick={() => void connect()} icon={<ShieldIcon />}>
            Trust and connect
          </Button>
        )}
      </div>
    </>
  )
}

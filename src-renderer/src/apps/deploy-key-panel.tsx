import { useEffect, useState } from 'react'
import type { DeployKeyInfo, DeployKeyRotation } from '../../../src-main/api/contract'
import { CopyButton } from '../github/copy-button'
import { api } from '../session-store'
import { Button } from '../ui/button'
import { ConfirmRemoveDialog } from '../ui/dialog'
import { ErrorNote } from '../ui/error-note'
import { AlertIcon, CheckIcon, RefreshIcon } from '../ui/icons'
import { Panel } from '../ui/panel'
import { toFailure, type Task } from '../ui/task'

/**
 * A git app's deploy key: its public half to copy, its fingerprint, who keeps it on the repository,
 * and a rotation behind a confirmation. `publicKey` is the one the app list knows: when it changes
 * (a rotation here or from the CLI), the key is read again.
 */
export function DeployKeyPanel({ app, publicKey }: { app: string; publicKey: string }) {
  const [key, setKey] = useState<Task<DeployKeyInfo>>({ status: 'running' })
  const [confirming, setConfirming] = useState(false)
  const [rotation, setRotation] = useState<DeployKeyRotation | null>(null)

  useEffect(() => {
    let current = true
    api()
      .call('apps:deploy-key', { name: app })
      .then(
        (value) => current && setKey({ status: 'done', value }),
        (error: unknown) => current && setKey({ status: 'failed', failure: toFailure(error) }),
      )
    return () => {
      current = false
    }
  }, [app, publicKey])

  const info = key.status === 'done' ? key.value : null
  return (
    <Panel
      title="Deploy key"
      actions={
        info && (
          <Button icon={<RefreshIcon />} onClick={() => setConfirming(true)}>
            Rotate key
          </Button>
        )
      }
    >
      {key.status === 'running' ? (
        <p className="muted">Reading the deploy key…</p>
      ) : key.status === 'failed' ? (
        <ErrorNote failure={key.failure} />
      ) : (
        <div className="stack deploy-key">
          <dl className="properties">
            <div className="property deploy-key-public">
              <dt>Public key</dt>
              <dd className="deploy-key-value">
                <span className="mono key-text">{key.value.publicKey}</span>
                <CopyButton text={key.value.publicKey} what="the public key" />
              </dd>
            </div>
            <div className="property">
              <dt>Fingerprint</dt>
              <dd className="mono key-text">{key.value.fingerprint}</dd>
            </div>
            <div className="property">
              <dt>On the repository</dt>
              <dd>
                {key.value.githubKeyId === null
                  ? 'Add it to the repository’s deploy keys (read-only)'
                  : 'Managed on GitHub by Helvetia'}
              </dd>
            </div>
          </dl>
          {rotation && <Rotated rotation={rotation} onDone={() => setRotation(null)} />}
        </div>
      )}
      {confirming && info && (
        <ConfirmRemoveDialog
          title="Rotate the deploy key?"
          action="Rotate key"
          onConfirm={async () => {
            const result = await api().call('apps:rotate-deploy-key', { name: app })
            setKey({ status: 'done', value: result.key })
            setRotation(result)
            setConfirming(false)
          }}
          onClose={() => setConfirming(false)}
        >
          {info.githubKeyId === null ? (
            <p>
              A new key replaces this one at once. Deploys of {app} fail until you add the new key to the
              repository’s deploy keys; remove the old one there too.
            </p>
          ) : (
            <p>
              Helvetia adds a new key to the repository on GitHub, switches {app} to it, then deletes the old
              key there. If GitHub refuses the new key, nothing changes.
            </p>
          )}
        </ConfirmRemoveDialog>
      )}
    </Panel>
  )
}

/** What a rotation did, and what is left for the user to do. */
function Rotated({ rotation, onDone }: { rotation: DeployKeyRotation; onDone(): void }) {
  const todo = rotation.action !== null || rotation.warnings.length > 0
  return (
    <div className={`note ${todo ? 'note-warning' : 'note-success'}`} role="status">
      {todo ? <AlertIcon /> : <CheckIcon />}
      <div className="note-body">
        <p className="note-title">Deploy key rotated</p>
        <p className="note-hint">
          {rotation.action ??
            `Deploys use the new key${rotation.warnings.length === 0 ? '; the old one was deleted on GitHub' : ''}.`}
        </p>
        {rotation.warnings.map((warning) => (
          <p key={warning} className="note-hint">
            {warning}
          </p>
        ))}
        <p className="note-hint">
          Replaced: <span className="mono">{rotation.previousFingerprint}</span>
        </p>
        <div className="note-actions">
          <Button onClick={onDone}>Dismiss</Button>
        </div>
      </div>
    </div>
  )
}

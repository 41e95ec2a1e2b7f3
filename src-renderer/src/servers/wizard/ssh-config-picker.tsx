import { useId, useRef, useState } from 'react'
import { Button } from '../../ui/button'
import { ErrorNote } from '../../ui/error-note'
import { address } from '../../ui/format'
import { ImportIcon } from '../../ui/icons'
import { useWizard } from './wizard-store'

/** A disclosure listing the Host entries of ~/.ssh/config; choosing one fills in the form. */
export function SshConfigPicker() {
  const hosts = useWizard((state) => state.sshHosts)
  const [open, setOpen] = useState(false)
  const trigger = useRef<HTMLButtonElement>(null)
  const listId = useId()
  const load = (): void => void useWizard.getState().loadSshHosts()
  const close = (): void => {
    setOpen(false)
    trigger.current?.focus()
  }

  return (
    <div className="picker">
      <div className="picker-bar">
        <p className="muted">Already in your SSH config?</p>
        <Button
          ref={trigger}
          icon={<ImportIcon />}
          aria-expanded={open}
          aria-controls={listId}
          onClick={() => {
            if (!open) load()
            setOpen(!open)
          }}
        >
          Import from ~/.ssh/config
        </Button>
      </div>
      {open && (
        <div id={listId} className="picker-body">
          {hosts?.status === 'running' && <p className="muted">Reading ~/.ssh/config…</p>}
          {hosts?.status === 'failed' && (
            <ErrorNote failure={hosts.failure} actions={<Button onClick={load}>Retry</Button>} />
          )}
          {hosts?.status === 'done' && hosts.value.length === 0 && (
            <p className="muted">No hosts there: fill in the address below.</p>
          )}
          {hosts?.status === 'done' && hosts.value.length > 0 && (
            <ul className="picker-list" aria-label="Hosts in ~/.ssh/config">
              {hosts.value.map((entry) => (
                <li key={entry.alias}>
                  <button
                    type="button"
                    className="picker-item"
                    onClick={() => {
                      useWizard.getState().applySshHost(entry)
                      close()
                    }}
                  >
                    <span className="picker-alias">{entry.alias}</span>
                    <span className="mono muted">
                      {address(entry)}
                      {entry.proxyJump && ` via ${entry.proxyJump}`}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  )
}

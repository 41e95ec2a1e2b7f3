import { useState } from 'react'
import type { DatabaseInfo } from '../../../src-main/api/contract'
import { CopyButton } from '../github/copy-button'
import { api } from '../session-store'
import { Button } from '../ui/button'
import { ErrorNote } from '../ui/error-note'
import { EyeIcon } from '../ui/icons'
import { Panel } from '../ui/panel'
import { Properties } from '../ui/properties'
import { useAction } from './use-action'

/**
 * The URL a linked app gets, inside Helvetia's network: masked, its password read from the keychain
 * only when the user asks to see or copy it.
 */
export function ConnectionPanel({ info }: { info: DatabaseInfo }) {
  const [revealed, setRevealed] = useState<string | null>(null)
  const action = useAction()
  const reveal = (): void =>
    void action.run('reveal', async () => {
      setRevealed((await api().call('databases:reveal', { name: info.name })).url)
    })
  return (
    <Panel title="Connection">
      <Properties
        rows={[
          [
            'URL',
            <span className="connection-url">
              <span className="mono" data-testid="connection-url">
                {revealed ?? info.url}
              </span>
              {revealed && <CopyButton text={revealed} what="the connection URL" />}
            </span>,
          ],
          ['Host', <span className="mono">{`${info.host}:${info.port}`}</span>],
        ]}
      />
      <p className="muted connection-note">
        Reached by this name from the apps on {info.server}; never published on a port of the server. From
        this computer, open a tunnel.
      </p>
      <div className="panel-buttons">
        <Button
          icon={<EyeIcon />}
          aria-pressed={revealed !== null}
          busy={action.running === 'reveal'}
          onClick={revealed ? () => setRevealed(null) : reveal}
        >
          {revealed ? 'Hide password' : 'Reveal'}
        </Button>
      </div>
      {action.failure && <ErrorNote failure={action.failure} />}
    </Panel>
  )
}

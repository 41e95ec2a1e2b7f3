import { useEffect, useState } from 'react'
import { CopyButton } from '../github/copy-button'
import { api } from '../session-store'
import { Button } from '../ui/button'
import { ErrorNote } from '../ui/error-note'
import { CloseIcon, PlugIcon } from '../ui/icons'
import { Panel } from '../ui/panel'
import { toFailure, type Failure } from '../ui/task'
import { maskUrl } from './database-format'
import { useDatabases } from './databases-store'

type Tunnel =
  | { phase: 'closed' }
  | { phase: 'opening' }
  | { phase: 'open'; url: string; port: number; connections: number }
  | { phase: 'failed'; failure: Failure }

/**
 * A local port on 127.0.0.1 through the server's SSH connection, open while this page shows it:
 * Close, or leaving the page, cancels the stream and the core closes the port.
 */
export function TunnelPanel({ name }: { name: string }) {
  const [wanted, setWanted] = useState(false)
  const [tunnel, setTunnel] = useState<Tunnel>({ phase: 'closed' })
  // The palette's "Open tunnel to X", on arrival or while this page shows: open it, once.
  const requested = useDatabases((state) => state.tunnelRequest === name)
  if (requested && !wanted) {
    setWanted(true)
    setTunnel({ phase: 'opening' })
  }
  useEffect(() => {
    if (requested) useDatabases.setState({ tunnelRequest: null })
  }, [requested])

  useEffect(() => {
    if (!wanted) return
    let cancelled = false
    const subscription = api().subscribe('databases:tunnel', { name }, (event) => {
      if (event.type === 'listening') {
        setTunnel({ phase: 'open', url: event.url, port: event.port, connections: 0 })
      } else {
        setTunnel((t) => (t.phase === 'open' ? { ...t, connections: event.open } : t))
      }
    })
    const ended = (next: Tunnel): void => {
      if (cancelled) return
      setTunnel(next)
      setWanted(false)
    }
    subscription.done.then(
      () => ended({ phase: 'closed' }),
      (error: unknown) => ended({ phase: 'failed', failure: toFailure(error) }),
    )
    // Close, or leaving the page: the core closes the port.
    return () => {
      cancelled = true
      subscription.cancel()
    }
  }, [name, wanted])

  const open = (): void => {
    setTunnel({ phase: 'opening' })
    setWanted(true)
  }
  const close = (): void => {
    setWanted(false)
    setTunnel({ phase: 'closed' })
  }

  return (
    <Panel title="Tunnel">
      {tunnel.phase === 'open' ? (
        <div className="stack" role="status">
          <p>
            Listening on <span className="mono">127.0.0.1:{tunnel.port}</span>:{' '}
            {tunnel.connections === 1 ? '1 connection' : `${tunnel.connections} connections`} through it now.
          </p>
          <p className="connection-url">
            <span className="mono" data-testid="tunnel-url">
              {maskUrl(tunnel.url)}
            </span>
            <CopyButton text={tunnel.url} what="the tunnel’s URL" />
          </p>
          <p className="muted">
            Copy gives the URL with its password, for psql, a GUI client or a local script.
          </p>
        </div>
      ) : (
        <p className="muted">
          A port on this computer (127.0.0.1 only) that reaches the database through the server’s SSH
          connection. It stays open while this page shows it.
        </p>
      )}
      {tunnel.phase === 'failed' && <ErrorNote failure={tunnel.failure} />}
      <div className="panel-buttons">
        {tunnel.phase === 'open' || tunnel.phase === 'opening' ? (
          <Button icon={<CloseIcon />} onClick={close}>
            Close tunnel
          </Button>
        ) : (
          <Button variant="primary" icon={<PlugIcon />} onClick={open}>
            Open tunnel
          </Button>
        )}
      </div>
    </Panel>
  )
}

import { useApp } from './store'

export function App() {
  const { info, servers, fatal } = useApp()
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">Helvetia</span>
        {info && <span className="muted">v{info.version}</span>}
      </header>
      <main className="content">
        {fatal ? (
          <section className="panel error" role="alert">
            <h2>{fatal.message}</h2>
            {fatal.hint && <p>{fatal.hint}</p>}
          </section>
        ) : (
          <section className="panel" aria-labelledby="servers-title">
            <h1 id="servers-title">Servers</h1>
            {servers === null ? (
              <p className="muted">Loading…</p>
            ) : servers.length === 0 ? (
              <p className="muted" data-testid="no-servers">
                No servers yet.
              </p>
            ) : (
              <ul className="server-list" aria-label="Servers">
                {servers.map((server) => (
                  <li key={server.id}>
                    <strong>{server.name}</strong>
                    <span className="muted">
                      {server.user}@{server.host}:{server.port}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        )}
      </main>
    </div>
  )
}

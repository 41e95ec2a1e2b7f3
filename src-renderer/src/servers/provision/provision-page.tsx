import { PageHeader } from '../../ui/page-header'
import { selectServer, useServers } from '../servers-store'
import { ProvisionPanel } from './provision-panel'

export function ProvisionPage({ name }: { name: string }) {
  const loaded = useServers((state) => state.servers !== null)
  const server = useServers(selectServer(name))
  if (!loaded) return <p className="muted">Loading…</p>
  return (
    <>
      <PageHeader
        title={`Provision ${name}`}
        description={
          server
            ? 'Installs Docker and a reverse proxy so the server can run your apps. Steps already in place are skipped.'
            : `There is no server named “${name}”.`
        }
      />
      {server && <ProvisionPanel server={server} />}
    </>
  )
}

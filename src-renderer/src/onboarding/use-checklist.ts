import { useShallow } from 'zustand/react/shallow'
import { useApps } from '../apps/apps-store'
import { useProvision } from '../servers/provision/provision-store'
import { useServers } from '../servers/servers-store'
import { useWizard } from '../servers/wizard/wizard-store'
import { checklist, type Checklist } from './checklist'

/** The first-run checklist, kept up to date from the stores that follow the core. */
export function useChecklist(): Checklist {
  const servers = useServers((state) => state.servers)
  const { apps, statuses, runs } = useApps(
    useShallow((state) => ({ apps: state.apps, statuses: state.statuses, runs: state.runs })),
  )
  const provisionRuns = useProvision((state) => state.runs)
  const connecting = useWizard((state) => state.added)
  return checklist({ servers, apps, statuses, deployRuns: runs, provisionRuns, connecting })
}

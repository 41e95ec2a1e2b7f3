import type { AppSummary } from '../../../src-main/api/contract'
import { selectServer, useServers } from '../servers/servers-store'
import { appUrls, type AppUrl } from './app-format'

/** The app's addresses as the core serves them: its domains, else `<app>.<server address>.sslip.io`. */
export function useAppUrls(app: AppSummary): AppUrl[] {
  const serverHost = useServers(selectServer(app.server))?.host
  return appUrls(app.name, app.spec.domains, serverHost)
}

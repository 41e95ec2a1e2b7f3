import { appState, type AppState } from './app-format'
import { useApps } from './apps-store'

/** The app's state as the list and its page show it; null until its status was first read. */
export function useAppState(name: string): AppState | null {
  const status = useApps((state) => state.statuses[name])
  const deploying = useApps((state) => state.runs[name]?.status === 'running')
  if (status?.status !== 'done') return deploying ? 'deploying' : null
  return appState(status.value, deploying)
}

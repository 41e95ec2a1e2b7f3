import { create } from 'zustand'
import type { ApiClient } from '../../src-main/api/client'
import type { AppInfo } from '../../src-main/api/contract'
import { toFailure, type Failure } from './ui/task'

interface SessionState {
  api: ApiClient | null
  info: AppInfo | null
  /** A failure that leaves the app unusable (no connection to the core), with what to do about it. */
  fatal: Failure | null
  start(connect: () => Promise<ApiClient>): Promise<void>
  fail(error: unknown): void
}

/** The one connection to the core, made once at start-up and shared by every area's store. */
export const useSession = create<SessionState>((set) => ({
  api: null,
  info: null,
  fatal: null,
  async start(connect) {
    try {
      const api = await connect()
      set({ api, info: await api.call('app:info') })
    } catch (error) {
      set({ fatal: toFailure(error) })
    }
  },
  fail: (error) => set({ fatal: toFailure(error) }),
}))

/** The API client, for stores' actions: the UI that calls them renders only once connected. */
export function api(): ApiClient {
  const client = useSession.getState().api
  if (!client) throw new Error('Helvetia is not connected yet.')
  return client
}

import { create } from 'zustand'
import type { ApiClient } from '../../src-main/api/client'
import type { AppInfo, ServerSummary } from '../../src-main/api/contract'

interface AppState {
  api: ApiClient | null
  info: AppInfo | null
  servers: ServerSummary[] | null
  /** A failure to show the user, with what to do about it. */
  fatal: { message: string; hint?: string } | null
  start(connect: () => Promise<ApiClient>): Promise<void>
}

export const useApp = create<AppState>((set) => ({
  api: null,
  info: null,
  servers: null,
  fatal: null,
  async start(connect) {
    try {
      const api = await connect()
      set({ api, info: await api.call('app:info') })
      const watch = api.subscribe('servers:watch', undefined, (servers) => set({ servers }))
      watch.done.catch((error: Error & { hint?: string }) =>
        set({ fatal: { message: error.message, hint: error.hint } }),
      )
    } catch (error) {
      const { message, hint } = error as Error & { hint?: string }
      set({ fatal: { message, hint } })
    }
  },
}))

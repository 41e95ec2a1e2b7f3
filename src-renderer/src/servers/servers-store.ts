import { create } from 'zustand'
import type { ServerFacts, ServerSummary } from '../../../src-main/api/contract'
import { api, useSession } from '../session-store'
import { runTask, type Task } from '../ui/task'

interface ServersState {
  /** Null until the first list arrives. */
  servers: ServerSummary[] | null
  /** The latest check of each server this session, by server id. */
  facts: Record<string, Task<ServerFacts>>
  /** Follows the server list live; returns the function that stops following. */
  watch(): () => void
  check(server: ServerSummary): Promise<void>
  setFacts(server: ServerSummary, facts: ServerFacts): void
  remove(server: ServerSummary): Promise<void>
}

export const useServers = create<ServersState>((set) => {
  const setTask = (server: ServerSummary, task: Task<ServerFacts>): void =>
    set((state) => ({ facts: { ...state.facts, [server.id]: task } }))
  return {
    servers: null,
    facts: {},
    watch() {
      const subscription = api().subscribe('servers:watch', undefined, (servers) => set({ servers }))
      subscription.done.catch((error: unknown) => useSession.getState().fail(error))
      return () => subscription.cancel()
    },
    async check(server) {
      await runTask(
        () => api().call('servers:check', { name: server.name }),
        (task) => setTask(server, task),
      )
    },
    setFacts: (server, facts) => setTask(server, { status: 'done', value: facts }),
    async remove(server) {
      await api().call('servers:remove', { name: server.name })
      set((state) => {
        const { [server.id]: _removed, ...facts } = state.facts
        return { facts }
      })
    },
  }
})

export const selectServer =
  (name: string) =>
  (state: ServersState): ServerSummary | undefined =>
    state.servers?.find((server) => server.name === name)

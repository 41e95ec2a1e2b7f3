import { create } from 'zustand'
import type { Template, TemplateSummary } from '../../../src-main/api/contract'
import { api } from '../session-store'
import { runTask, type Task } from '../ui/task'

interface CatalogState {
  /** Every template, shipped and imported; absent until first read. */
  list: Task<TemplateSummary[]> | undefined
  /** Each template in full (its newest version), by id. */
  templates: Record<string, Task<Template>>
  refresh(): Promise<void>
  show(id: string): Promise<void>
  /** Forgets an imported template. */
  remove(id: string): Promise<void>
}

/** The catalogue ships inside the app: it is read on request, with no network, and changes only by import. */
export const useCatalog = create<CatalogState>((set, get) => ({
  list: undefined,
  templates: {},
  async refresh() {
    await runTask(
      () => api().call('catalog:list'),
      // A refresh keeps showing the list read before rather than flashing back to "loading".
      (task) => set((state) => ({ list: task.status === 'running' && state.list ? state.list : task })),
    )
  },
  async show(id) {
    await runTask(
      () => api().call('catalog:show', { id }),
      (task) =>
        set((state) => ({
          templates:
            task.status === 'running' && state.templates[id]?.status === 'done'
              ? state.templates
              : { ...state.templates, [id]: task },
        })),
    )
  },
  async remove(id) {
    await api().call('catalog:remove', { id })
    set((state) => {
      const { [id]: _gone, ...templates } = state.templates
      return { templates }
    })
    await get().refresh()
  },
}))

/** The newest version of a template the catalogue lists, or undefined while it is not read. */
export const selectNewest =
  (id: string) =>
  (state: CatalogState): string | undefined =>
    state.list?.status === 'done' ? state.list.value.find((t) => t.id === id)?.version : undefined

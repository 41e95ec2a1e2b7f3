import { create } from 'zustand'
import type { TerminalTarget } from '../../../src-main/api/terminals'
import { api } from '../session-store'
import { navigate } from '../shell/router'
import { TerminalTab, type TabState } from './terminal-tab'

export interface TabInfo {
  key: string
  label: string
  kind: TerminalTarget['kind']
  state: TabState
}

interface TerminalsState {
  tabs: TabInfo[]
  active: string | null
  open(target: TerminalTarget): void
  close(key: string): void
  select(key: string): void
  /** The next (1) or previous (-1) tab, wrapping around. */
  cycle(step: 1 | -1): void
}

/** The xterm and stream of each tab, by key: not state React renders from. */
const sessions = new Map<string, TerminalTab>()
let nextKey = 1

export const terminalTab = (key: string): TerminalTab | undefined => sessions.get(key)

export function terminalLabel(target: TerminalTarget): string {
  switch (target.kind) {
    case 'server':
      return target.server
    case 'container':
      return `${target.app} container`
    case 'database':
      return `${target.name} database`
    case 'local':
      return 'This computer'
  }
}

/** The open terminals of this window; they keep running while another page shows. */
export const useTerminals = create<TerminalsState>((set, get) => ({
  tabs: [],
  active: null,
  open(target) {
    const key = `t${nextKey++}`
    const label = terminalLabel(target)
    const update = (state: TabState): void =>
      set({ tabs: get().tabs.map((tab) => (tab.key === key ? { ...tab, state } : tab)) })
    sessions.set(key, new TerminalTab(api(), target, label, update))
    set({
      tabs: [...get().tabs, { key, label, kind: target.kind, state: { phase: 'starting' } }],
      active: key,
    })
  },
  close(key) {
    sessions.get(key)?.dispose()
    sessions.delete(key)
    const { tabs, active } = get()
    const index = tabs.findIndex((tab) => tab.key === key)
    const rest = tabs.filter((tab) => tab.key !== key)
    const neighbour = rest[Math.min(index, rest.length - 1)]
    set({ tabs: rest, active: active === key ? (neighbour?.key ?? null) : active })
  },
  select: (key) => set({ active: key }),
  cycle(step) {
    const { tabs, active } = get()
    if (tabs.length === 0) return
    const index = tabs.findIndex((tab) => tab.key === active)
    const next = tabs[(index + step + tabs.length) % tabs.length]
    if (next) set({ active: next.key })
  },
}))

/**
 * Opens a terminal in a new tab and shows the Terminals page: for any page's "Open terminal" button,
 * e.g. `openTerminal({ kind: 'container', app: 'web' })`.
 */
export function openTerminal(target: TerminalTarget): void {
  useTerminals.getState().open(target)
  navigate({ page: 'terminals' })
}

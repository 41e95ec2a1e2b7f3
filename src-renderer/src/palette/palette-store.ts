import { create } from 'zustand'

interface PaletteState {
  open: boolean
  setOpen(open: boolean): void
}

/** Whether the command palette is open: the shortcut and the top bar's button both open it. */
export const usePalette = create<PaletteState>((set) => ({
  open: false,
  setOpen: (open) => set({ open }),
}))

/** ⌘K on Apple keyboards, Ctrl+K elsewhere; both work everywhere. */
export const SHORTCUT_LABEL = /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘K' : 'Ctrl K'

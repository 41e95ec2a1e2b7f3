import { create } from 'zustand'

export type ThemePreference = 'system' | 'light' | 'dark'

const STORAGE_KEY = 'helvetia.theme'

function stored(): ThemePreference {
  const value = localStorage.getItem(STORAGE_KEY)
  return value === 'light' || value === 'dark' ? value : 'system'
}

/** `system` leaves the choice to the OS (prefers-color-scheme); tokens.css reads the attribute. */
function apply(preference: ThemePreference): void {
  if (preference === 'system') delete document.documentElement.dataset.theme
  else document.documentElement.dataset.theme = preference
}

interface ThemeState {
  preference: ThemePreference
  setPreference(preference: ThemePreference): void
}

export const useTheme = create<ThemeState>((set) => {
  const preference = stored()
  apply(preference)
  return {
    preference,
    setPreference(preference) {
      if (preference === 'system') localStorage.removeItem(STORAGE_KEY)
      else localStorage.setItem(STORAGE_KEY, preference)
      apply(preference)
      set({ preference })
    },
  }
})

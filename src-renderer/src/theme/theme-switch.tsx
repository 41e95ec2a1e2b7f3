import type { ComponentType } from 'react'
import { MonitorIcon, MoonIcon, SunIcon } from '../ui/icons'
import { useTheme, type ThemePreference } from './theme-store'

const OPTIONS: { value: ThemePreference; label: string; Icon: ComponentType }[] = [
  { value: 'system', label: 'System', Icon: MonitorIcon },
  { value: 'light', label: 'Light', Icon: SunIcon },
  { value: 'dark', label: 'Dark', Icon: MoonIcon },
]

/** Three radios (arrow keys move between them), drawn as a segmented control. */
export function ThemeSwitch() {
  const preference = useTheme((state) => state.preference)
  const setPreference = useTheme((state) => state.setPreference)
  return (
    <fieldset className="segmented">
      <legend className="visually-hidden">Theme</legend>
      {OPTIONS.map(({ value, label, Icon }) => (
        <label key={value} className="segmented-option" title={`${label} theme`}>
          <input
            className="segmented-input"
            type="radio"
            name="theme"
            value={value}
            checked={preference === value}
            onChange={() => setPreference(value)}
          />
          <Icon />
          <span className="segmented-label">{label}</span>
        </label>
      ))}
    </fieldset>
  )
}

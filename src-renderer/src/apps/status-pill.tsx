import { STATE_LABELS, type AppState } from './app-format'

/** The app's state as a coloured pill with its name in words (colour is never the only cue). */
export function StatusPill({ state }: { state: AppState }) {
  return (
    <span className={`pill pill-${state}`}>
      <span className="pill-dot" aria-hidden="true" />
      {STATE_LABELS[state]}
    </span>
  )
}

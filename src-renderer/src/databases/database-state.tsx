import type { BackupHealth, DatabaseState } from '../../../src-main/api/contract'
import { describeHealth } from './database-format'
import { STATE_LABELS, STATE_PILLS } from './database-format'

/** The database's container state as a coloured pill with its name in words. */
export function DatabaseStatePill({ state }: { state: DatabaseState }) {
  return (
    <span className={['pill', STATE_PILLS[state]].filter(Boolean).join(' ')}>
      <span className="pill-dot" aria-hidden="true" />
      {STATE_LABELS[state]}
    </span>
  )
}

/** The backup health as a chip: its words carry the meaning, its colour repeats it. */
export function HealthChip({ health }: { health: BackupHealth }) {
  const { text, tone } = describeHealth(health)
  return <span className={['chip', tone !== 'none' && `chip-${tone}`].filter(Boolean).join(' ')}>{text}</span>
}

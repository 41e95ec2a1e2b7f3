import { AlertIcon, ShieldIcon } from '../ui/icons'

/** A pinned host key, or a warning that none is pinned. */
export function Fingerprint({ value, compact = false }: { value: string | null; compact?: boolean }) {
  if (!value) {
    return (
      <p className="fingerprint fingerprint-missing">
        <AlertIcon />
        <span>No host key pinned</span>
      </p>
    )
  }
  return (
    <p className={compact ? 'fingerprint fingerprint-compact' : 'fingerprint'}>
      <ShieldIcon />
      <span className="visually-hidden">Pinned host key </span>
      <code className="mono">{value}</code>
    </p>
  )
}

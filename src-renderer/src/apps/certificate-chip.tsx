import { useId } from 'react'
import type { CertificateStatus } from '../../../src-main/api/contract'
import type { Task } from '../ui/task'

/** The chip's words and colour for a verdict of the core (src-main/core/certs). */
export function certificateChip(c: CertificateStatus): {
  label: string
  tone: 'success' | 'warning' | 'danger'
} {
  switch (c.state) {
    case 'valid':
      return { label: `Valid · expires ${inDays(c.daysLeft ?? 0)}`, tone: 'success' }
    case 'untrusted':
      return {
        label: c.issuer?.startsWith('Caddy Local Authority') ? 'Not trusted (local CA)' : 'Not trusted',
        tone: 'warning',
      }
    case 'pending':
      // Caddy's local CA issues `.localhost` names; every other name waits for Let's Encrypt.
      return {
        label: c.domain.endsWith('.localhost') ? 'Waiting for certificate' : 'Waiting for Let’s Encrypt',
        tone: 'warning',
      }
    case 'expired':
      return { label: 'Expired', tone: 'danger' }
    case 'mismatch':
      return { label: 'Wrong certificate', tone: 'danger' }
    case 'error':
      return { label: 'Check failed', tone: 'danger' }
  }
}

function inDays(days: number): string {
  if (days <= 0) return 'within a day'
  return days === 1 ? 'in 1 day' : `in ${days} days`
}

/**
 * An HTTPS address's certificate: a chip, its verdict as a tooltip, and the verdict written out below
 * when something needs attention. `check` is null before the app is live: then only "HTTPS".
 */
export function CertificateChip({ host, check }: { host: string; check: Task<CertificateStatus[]> | null }) {
  const noteId = useId()
  const verdict = check?.status === 'done' ? check.value.find((c) => c.domain === host) : undefined
  if (check?.status === 'running') return <span className="chip">Checking certificate…</span>
  if (check?.status === 'failed') {
    return <Chip label="Check failed" tone="danger" note={check.failure.message} noteId={noteId} />
  }
  if (!verdict) return <span className="chip chip-success">HTTPS</span>
  const { label, tone } = certificateChip(verdict)
  return <Chip label={label} tone={tone} note={verdict.message} noteId={noteId} quiet={tone === 'success'} />
}

/** `quiet`: the note only as a tooltip (nothing to act on). */
function Chip(props: { label: string; tone: string; note: string; noteId: string; quiet?: boolean }) {
  const { label, tone, note, noteId, quiet } = props
  return (
    <>
      <span
        className={`chip chip-${tone} cert-chip`}
        title={note}
        aria-describedby={quiet ? undefined : noteId}
        data-testid="certificate-chip"
      >
        {label}
      </span>
      {!quiet && (
        <span id={noteId} className="muted url-note">
          {note}
        </span>
      )}
    </>
  )
}

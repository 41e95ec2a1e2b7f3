import type { ReactNode } from 'react'
import { AlertIcon } from './icons'
import type { Failure } from './task'

/**
 * A failure beside the step it belongs to: the core's message and hint, verbatim, and what to try.
 * `role`: `status` for advice shown while the user types (announced politely, not as an alert).
 */
export function ErrorNote({
  failure,
  actions,
  role = 'alert',
}: {
  failure: Failure
  actions?: ReactNode
  role?: 'alert' | 'status'
}) {
  return (
    <div className="note note-danger" role={role}>
      <AlertIcon />
      <div className="note-body">
        <p className="note-title">{failure.message}</p>
        {failure.hint && <p className="note-hint">{failure.hint}</p>}
        {failure.code && <p className="note-code">{failure.code}</p>}
        {actions && <div className="note-actions">{actions}</div>}
      </div>
    </div>
  )
}

import { useEffect, useId, useRef, useState, type ReactNode } from 'react'
import { Button } from './button'
import { ErrorNote } from './error-note'
import { toFailure, type Failure } from './task'

/**
 * A modal dialog on the native <dialog>: it traps focus, makes the page behind it inert and closes
 * on Escape. Render it only while it is open; `onClose` runs however it closes.
 */
export function Dialog({
  title,
  children,
  actions,
  onClose,
  className,
}: {
  title: string
  children: ReactNode
  actions: ReactNode
  onClose(): void
  /** Another look, such as a wider dialog for a diff. */
  className?: string
}) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  useEffect(() => {
    const dialog = ref.current
    if (dialog && !dialog.open) dialog.showModal()
  }, [])
  return (
    <dialog
      ref={ref}
      className={['dialog', className].filter(Boolean).join(' ')}
      aria-labelledby={titleId}
      onClose={onClose}
    >
      <h2 id={titleId} className="dialog-title">
        {title}
      </h2>
      <div className="dialog-body">{children}</div>
      <div className="dialog-actions">{actions}</div>
    </dialog>
  )
}

/**
 * A dialog that asks before a removal: Cancel (focused) and `action`, busy while `onConfirm` runs; a
 * failure shows in the dialog, which stays open for another try.
 */
export function ConfirmRemoveDialog({
  title,
  action,
  disabled,
  onConfirm,
  onClose,
  children,
}: {
  title: string
  action: string
  disabled?: boolean
  onConfirm(): Promise<void>
  onClose(): void
  children: ReactNode
}) {
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<Failure | null>(null)
  const confirm = async (): Promise<void> => {
    setBusy(true)
    setFailure(null)
    try {
      await onConfirm()
    } catch (error) {
      setFailure(toFailure(error))
      setBusy(false)
    }
  }
  return (
    <Dialog
      title={title}
      onClose={onClose}
      actions={
        <>
          <Button onClick={onClose} autoFocus>
            Cancel
          </Button>
          <Button variant="danger" busy={busy} disabled={disabled} onClick={() => void confirm()}>
            {action}
          </Button>
        </>
      }
    >
      {children}
      {failure && <ErrorNote failure={failure} />}
    </Dialog>
  )
}

/** Checks shared by the forms. Each returns the message to show, or undefined when the value is fine. */

export function portError(value: string, { optional = false } = {}): string | undefined {
  if (value.trim() === '') return optional ? undefined : 'Enter a port from 1 to 65535.'
  const port = Number(value)
  return /^\s*\d+\s*$/.test(value) && port >= 1 && port <= 65535 ? undefined : 'Enter a port from 1 to 65535.'
}

export function emailError(value: string): string | undefined {
  if (value.trim() === '') return undefined
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim())
    ? undefined
    : 'Enter an email address like you@example.com, or leave it empty.'
}

/** Moves focus to the form's first invalid field, opening the <details> it may hide in. */
export function focusFirstInvalid(form: HTMLElement | null): void {
  const field = form?.querySelector<HTMLElement>('[aria-invalid="true"]')
  if (!field) return
  const details = field.closest('details')
  if (details) details.open = true
  field.focus()
}

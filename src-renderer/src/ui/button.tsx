import type { AnchorHTMLAttributes, ComponentPropsWithRef, ReactNode } from 'react'

type Variant = 'primary' | 'secondary' | 'ghost' | 'danger'

interface Look {
  variant?: Variant
  /** Shows a spinner and blocks presses while the work it started runs. */
  busy?: boolean
  icon?: ReactNode
}

const classes = (variant: Variant, extra?: string): string =>
  ['button', `button-${variant}`, extra].filter(Boolean).join(' ')

export function Button({
  variant = 'secondary',
  busy = false,
  icon,
  children,
  className,
  disabled,
  type = 'button',
  ...props
}: Look & ComponentPropsWithRef<'button'>) {
  return (
    <button
      {...props}
      type={type}
      className={classes(variant, className)}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
    >
      {busy ? <span className="spinner" aria-hidden="true" /> : icon}
      {children}
    </button>
  )
}

/** A link that looks like a button: for actions that go somewhere. */
export function LinkButton({
  variant = 'secondary',
  icon,
  children,
  className,
  ...props
}: Omit<Look, 'busy'> & AnchorHTMLAttributes<HTMLAnchorElement>) {
  return (
    <a {...props} className={classes(variant, className)}>
      {icon}
      {children}
    </a>
  )
}

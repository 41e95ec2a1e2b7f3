import { useId, type ReactNode } from 'react'

/** A glass panel; with a title it is a labelled region. */
export function Panel({
  title,
  level = 2,
  actions,
  children,
  className,
}: {
  title?: string
  /** The title's heading level: 3 inside a section that has its own heading. */
  level?: 2 | 3
  actions?: ReactNode
  children: ReactNode
  className?: string
}) {
  const titleId = useId()
  const Heading = level === 2 ? 'h2' : 'h3'
  return (
    <section className={['panel', className].filter(Boolean).join(' ')} aria-labelledby={title && titleId}>
      {(title || actions) && (
        <header className="panel-header">
          {title && (
            <Heading id={titleId} className="panel-title">
              {title}
            </Heading>
          )}
          {actions && <div className="panel-actions">{actions}</div>}
        </header>
      )}
      {children}
    </section>
  )
}

/** What a list shows while it is empty: an icon, a title, and what to do about it. */
export function EmptyState({
  icon,
  title,
  testId,
  children,
}: {
  icon: ReactNode
  title: string
  testId?: string
  /** The explanation and the action. */
  children: ReactNode
}) {
  return (
    <section className="panel empty" data-testid={testId}>
      <div className="empty-icon">{icon}</div>
      <h2 className="empty-title">{title}</h2>
      {children}
    </section>
  )
}

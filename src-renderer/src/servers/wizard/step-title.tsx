import { useEffect, useRef, type ReactNode } from 'react'

/** Each step's title; it takes focus when the step appears, so keyboard users start there. */
export function StepTitle({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null)
  useEffect(() => ref.current?.focus(), [])
  return (
    <h2 ref={ref} className="step-title" tabIndex={-1}>
      {children}
    </h2>
  )
}

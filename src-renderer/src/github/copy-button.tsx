import { useEffect, useState } from 'react'
import { Button } from '../ui/button'
import { CheckIcon, CopyIcon } from '../ui/icons'

/** Copies `text`; says so for a moment, to screen readers too. */
export function CopyButton({ text, what }: { text: string; what: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  useEffect(() => {
    if (state === 'idle') return
    const timer = setTimeout(() => setState('idle'), 2000)
    return () => clearTimeout(timer)
  }, [state])
  const copy = (): void =>
    void navigator.clipboard.writeText(text).then(
      () => setState('copied'),
      () => setState('failed'),
    )
  return (
    <Button
      variant="ghost"
      icon={state === 'copied' ? <CheckIcon /> : <CopyIcon />}
      aria-label={`Copy ${what}`}
      onClick={copy}
    >
      <span aria-live="polite">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}
      </span>
    </Button>
  )
}

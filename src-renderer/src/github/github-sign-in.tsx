import { useEffect, useRef, useState } from 'react'
import type { Subscription } from '../../../src-main/api/client'
import { useSession } from '../session-store'
import { Button } from '../ui/button'
import { ErrorNote } from '../ui/error-note'
import { ExternalIcon } from '../ui/icons'
import { toFailure, type Failure } from '../ui/task'
import { CopyButton } from './copy-button'

type SignIn =
  | { step: 'idle' }
  | { step: 'starting' }
  | { step: 'code'; userCode: string; verificationUri: string; expiresAt: string }
  | { step: 'failed'; failure: Failure }

/**
 * Sign-in with GitHub's device flow: the code to enter, a link to where, and a wait until it was
 * entered. Nothing secret passes through here: the token goes from the core to the keychain.
 */
export function GitHubSignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [state, setState] = useState<SignIn>({ step: 'idle' })
  const subscription = useRef<Subscription | null>(null)
  useEffect(() => () => subscription.current?.cancel(), [])

  const start = (): void => {
    const api = useSession.getState().api
    if (!api) return
    setState({ step: 'starting' })
    const sub = api.subscribe('github:sign-in', undefined, (item) => {
      if (item.type === 'code') setState({ step: 'code', ...item })
      else onSignedIn()
    })
    subscription.current = sub
    sub.done.catch((error: unknown) => setState({ step: 'failed', failure: toFailure(error) }))
  }
  const cancel = (): void => {
    subscription.current?.cancel()
    setState({ step: 'idle' })
  }

  if (state.step === 'code') {
    return (
      <div className="github-code stack" role="group" aria-label="GitHub sign-in">
        <p>Enter this code on GitHub to let Helvetia add deploy keys and webhooks to your repositories:</p>
        <div className="github-code-row">
          <output className="github-user-code mono" aria-label="Your code">
            {state.userCode}
          </output>
          <CopyButton text={state.userCode} what="the code" />
          <a className="button button-primary" href={state.verificationUri} target="_blank" rel="noreferrer">
            <ExternalIcon />
            Open {state.verificationUri.replace(/^https?:\/\//, '')}
          </a>
        </div>
        <p className="github-waiting muted" role="status">
          <span className="spinner" aria-hidden="true" />
          Waiting for GitHub… the code expires at{' '}
          {new Date(state.expiresAt).toLocaleTimeString(undefined, { timeStyle: 'short' })}.
        </p>
        <div>
          <Button variant="ghost" onClick={cancel}>
            Cancel
          </Button>
        </div>
      </div>
    )
  }
  return (
    <div className="stack">
      {state.step === 'failed' && <ErrorNote failure={state.failure} />}
      <div>
        <Button variant="primary" busy={state.step === 'starting'} onClick={start}>
          {state.step === 'failed' ? 'Try again' : 'Sign in with GitHub'}
        </Button>
      </div>
    </div>
  )
}

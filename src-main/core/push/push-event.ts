import { pushAction, type PushAction } from '../../../relay/push-payload.js'
import { verifySignature } from '../../../relay/signature.js'
import type { RelayEvent } from './relay-client'

/** What to do with an event from the relay, decided on the raw body GitHub signed. */
export type PushDecision = { action: 'refuse'; detail: string } | PushAction

/**
 * Checks GitHub's signature again with the secret from this computer's keychain, so an event the relay
 * altered or made up is refused, then reads the push: which branch, which commit.
 */
export function decidePush(event: RelayEvent, hook: { secret: string; branch: string }): PushDecision {
  const body = Buffer.from(event.bodyBase64, 'base64')
  if (!verifySignature(hook.secret, body, event.signature)) {
    return {
      action: 'refuse',
      detail: "refused by Helvetia: GitHub's signature does not match the body the relay passed on",
    }
  }
  if (event.event !== 'push')
    return { action: 'ignore-event', detail: `a ${event.event} event deploys nothing` }
  return pushAction(body, event.contentType, hook.branch)
}

// @ts-check
// What a push event asks for, read from the raw body GitHub signed. The desktop (after checking the
// signature again) and the relay's server-side deploys (relay/spool.js) decide the same way.

const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/

/**
 * @typedef {{ action: 'ignore-event', detail: string }
 *   | { action: 'ignore-branch', ref: string, detail: string }
 *   | { action: 'deploy', ref: string, commit: string }} PushAction
 * @typedef {{ ref: string, commit: string, pushedAt?: number }} PushIdentity
 */

/**
 * Whether a push deploys the app that follows `branch`, and which commit.
 * @param {Buffer} body
 * @param {string} contentType
 * @param {string} branch
 * @returns {PushAction}
 */
export function pushAction(body, contentType, branch) {
  const push = parsePayload(body, contentType)
  if (typeof push?.ref !== 'string' || typeof push.after !== 'string') {
    return { action: 'ignore-event', detail: 'not a push payload' }
  }
  if (push.deleted === true || /^0+$/.test(push.after)) {
    return { action: 'ignore-event', detail: `${push.ref} was deleted` }
  }
  if (push.ref !== `refs/heads/${branch}`) {
    return {
      action: 'ignore-branch',
      ref: push.ref,
      detail: `push to ${push.ref}; the app deploys ${branch}`,
    }
  }
  if (!COMMIT.test(push.after)) return { action: 'ignore-event', detail: 'the push names no commit' }
  return { action: 'deploy', ref: push.ref, commit: push.after }
}

/**
 * What makes a push the same push when its signed body arrives again under another delivery id: the
 * ref, the pushed commit (`after`) and, where GitHub sends it, the time of the push (so pushing the
 * same commit again later, or to another branch, is a new push). Null when the body names no commit.
 * @param {Buffer} body
 * @param {string} contentType
 * @returns {PushIdentity | null}
 */
export function pushIdentity(body, contentType) {
  const push = parsePayload(body, contentType)
  if (typeof push?.ref !== 'string' || push.ref.length > 255) return null
  if (typeof push.after !== 'string' || !COMMIT.test(push.after)) return null
  const repository = /** @type {{ pushed_at?: unknown } | null | undefined} */ (push.repository)
  const pushedAt = repository?.pushed_at
  return {
    ref: push.ref,
    commit: push.after,
    ...(typeof pushedAt === 'number' && Number.isFinite(pushedAt) ? { pushedAt } : {}),
  }
}

/**
 * GitHub sends JSON, or a form with the JSON in `payload` (the webhook's content type setting).
 * @param {Buffer} body
 * @param {string} contentType
 * @returns {Record<string, unknown> | null}
 */
function parsePayload(body, contentType) {
  try {
    const text = contentType.startsWith('application/x-www-form-urlencoded')
      ? (new URLSearchParams(body.toString('utf8')).get('payload') ?? '')
      : body.toString('utf8')
    const value = JSON.parse(text)
    return value && typeof value === 'object' ? value : null
  } catch {
    return null
  }
}

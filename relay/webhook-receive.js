// @ts-check
// GitHub's side of the relay: a webhook posted to /hooks/<hookId> is checked (size, signature,
// duplicates) and answered as soon as the event is on disk: nothing else happens inline.
import { send } from './http-io.js'
import { DELIVERY } from './rules.js'
import { webhookBodies } from './webhook-body.js'

/** GitHub caps webhook payloads at 25 MB; anything larger is refused unread. */
export const MAX_BODY_BYTES = 25 * 1024 * 1024
/**
 * Bodies whose signature is not checked yet, all requests together: room for two of GitHub's largest
 * beside each other; beyond it a webhook is answered 429 unread.
 */
export const MAX_UNVERIFIED_BYTES = 2 * MAX_BODY_BYTES
/** Seconds a webhook turned away for the budget above is told to wait. */
const BUSY_RETRY_AFTER = '10'

/**
 * @param {{ store: import('./relay-store.js').RelayStore, log: (line: string) => void }} options
 */
export function webhookReceiver({ store, log }) {
  const bodies = webhookBodies({
    dir: store.incomingDir,
    maxBodyBytes: MAX_BODY_BYTES,
    maxUnverifiedBytes: MAX_UNVERIFIED_BYTES,
  })

  /**
   * Answers a refusal whatever becomes of its record: the record is logged, and when it cannot be
   * written (a full disk) that is logged instead.
   * @param {import('./relay-store.js').Hook} hook
   * @param {Parameters<typeof store.record>[1]} entry
   */
  const refuse = async (hook, entry) => {
    log(`refused ${hook.app} ${entry.delivery}: ${entry.detail}`)
    await store.record(hook, entry).catch((error) => log(`could not record that refusal: ${error}`))
  }

  /**
   * What becomes of a body taken in whole: signature, then what the event is; the answer to give.
   * @param {import('node:http').IncomingMessage} req
   * @param {import('./relay-store.js').Hook} hook
   * @param {import('./webhook-body.js').Received} intake
   * @param {string | null} delivery
   * @param {string | null} event
   * @returns {Promise<[number, unknown]>}
   */
  const settle = async (req, hook, intake, delivery, event) => {
    const signature = req.headers['x-hub-signature-256']
    if (!intake.signed(signature)) {
      const detail = signature ? 'X-Hub-Signature-256 does not match' : 'no X-Hub-Signature-256'
      await refuse(hook, { delivery, event, status: 'refused-signature', detail })
      return [401, { error: detail }]
    }
    if (!delivery || !event) return [400, { error: 'X-GitHub-Delivery and X-GitHub-Event required' }]
    if (event === 'ping') {
      await store.record(hook, {
        delivery,
        event,
        status: 'received',
        detail: 'ping: GitHub reached the relay',
      })
      return [200, { ok: true }]
    }
    if (event !== 'push') {
      await store.record(hook, {
        delivery,
        event,
        status: 'ignored-event',
        detail: 'only push events deploy',
      })
      return [202, { ignored: true }]
    }
    const body = await intake.read()
    // Its room on disk is free again before the event takes some.
    await intake.discard()
    const result = await store.accept(hook, {
      delivery,
      event,
      signature: String(signature),
      contentType: String(req.headers['content-type'] ?? 'application/json'),
      body,
    })
    if ('duplicate' in result) {
      log(`duplicate ${hook.app} ${delivery}`)
      return [200, { duplicate: true }]
    }
    log(`accepted ${hook.app} ${delivery} as ${result.seq}`)
    return [202, { accepted: true }]
  }

  /**
   * A webhook: size, signature, de-duplication, then durably queued and answered. A 2xx means the event
   * is on disk (or was before); when it cannot be stored (the disk is full) the answer is a 5xx.
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {string} hookId
   */
  return async function receive(req, res, hookId) {
    const hook = store.hookById(hookId)
    if (!hook) {
      req.resume()
      return send(res, 404, { error: 'no such hook' })
    }
    const delivery = headerToken(req.headers['x-github-delivery'])
    const event = headerToken(req.headers['x-github-event'])
    const intake = await bodies.receive(req, hook.secret).catch((error) => {
      req.resume()
      throw error
    })
    if (intake.status === 'too-large') {
      await refuse(hook, { delivery, event, status: 'refused-size', detail: 'over 25 MB' })
      // Discard the rest unread and close: the connection is not reused.
      req.resume()
      return send(res, 413, { error: 'payload over 25 MB' }, { connection: 'close' })
    }
    if (intake.status === 'busy') {
      log(`busy: turned away ${hook.app} ${delivery} (too many unverified bodies arriving)`)
      req.resume()
      return send(
        res,
        429,
        { error: 'too many webhook bodies arriving at once; try again later' },
        { 'retry-after': BUSY_RETRY_AFTER, connection: 'close' },
      )
    }
    /** @type {[number, unknown]} */
    let answer
    try {
      answer = await settle(req, hook, intake, delivery, event)
    } finally {
      await intake.discard()
    }
    return send(res, ...answer)
  }
}

/**
 * GitHub's delivery ids are GUIDs and its event names are words: both fit DELIVERY; anything else is
 * logged as null.
 * @param {string | string[] | undefined} value
 */
function headerToken(value) {
  return typeof value === 'string' && DELIVERY.test(value) ? value : null
}

// @ts-check
// Server-side deploys: for apps hosted on the server the relay runs on, no subscriber needs to be
// connected. The relay reads each accepted push of such an app and, when it names the app's branch,
// leaves a job in the spool folder (bind-mounted from the host), where the host's push agent
// (remote-scripts/push-agent.sh) starts the deploy and writes back what became of it:
//   jobs/N.job       written durably by the relay (key=value lines: seq, delivery, app, commit, ref)
//   done/N.job       the job once the agent finished it (kept a while: a job is never written twice)
//   outcomes/*.out   the agent's reports (delivery, status, detail), moved into the delivery log here
//   wake             a FIFO the agent made and waits on: a byte after each job starts it at once
// The event is acknowledged once its job is on disk, so subscribers never see it.
import { constants, watch } from 'node:fs'
import { access, mkdir, open, readdir, readFile, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { pushAction } from './push-payload.js'
import { writeDurably } from './relay-store.js'

/** What the agent may report. */
const AGENT_STATUSES = new Set(['deploy-started', 'deployed', 'failed', 'refused-commit'])
const OUTCOME_FILE = /^[\w.-]+\.out$/

/** @param {number} seq */
export const jobFile = (seq) => `${String(seq).padStart(12, '0')}.job`

/**
 * Starts handing the server-side apps' events to the spool and collecting the agent's outcomes.
 * @param {{ store: import('./relay-store.js').RelayStore, dir: string, log?: (line: string) => void,
 *   pollMs?: number }} options
 */
export async function startSpool(options) {
  const { store, dir, log = () => {}, pollMs = 1000 } = options
  const jobs = join(dir, 'jobs')
  const done = join(dir, 'done')
  const outcomes = join(dir, 'outcomes')
  for (const folder of [jobs, done, outcomes]) await mkdir(folder, { recursive: true, mode: 0o700 })

  /** @param {number} seq */
  const handle = async (seq) => {
    const event = await store.readEvent(seq)
    const hook = event && store.hookById(event.hookId)
    if (!event || !hook?.serverSide) return
    const decision =
      event.event === 'push'
        ? pushAction(Buffer.from(event.bodyBase64, 'base64'), event.contentType, hook.branch ?? 'main')
        : { action: /** @type {const} */ ('ignore-event'), detail: `a ${event.event} event deploys nothing` }
    if (decision.action === 'deploy') {
      const name = jobFile(seq)
      if (!(await exists(join(jobs, name))) && !(await exists(join(done, name)))) {
        const lines = {
          seq,
          delivery: event.delivery,
          app: hook.app,
          commit: decision.commit,
          ref: decision.ref,
        }
        const text = Object.entries(lines)
          .map(([key, value]) => `${key}=${value}\n`)
          .join('')
        await writeDurably(jobs, name, text)
        await wake(dir)
        log(`spooled ${hook.app} ${event.delivery}: ${decision.commit}`)
      }
    } else {
      const status = decision.action === 'ignore-branch' ? 'ignored-branch' : 'ignored-event'
      await store.report(event.delivery, status, decision.detail)
    }
    await store.ack(seq)
  }

  let chain = Promise.resolve()
  /** @param {number} seq */
  const queue = (seq) => {
    chain = chain.then(() => handle(seq)).catch((error) => log(`spool: event ${seq}: ${error}`))
  }
  for (const seq of store.unacked()) queue(seq)
  const unsubscribe = store.onEvent(queue)

  let collecting = false
  const collect = async () => {
    if (collecting) return
    collecting = true
    try {
      for (const name of (await readdir(outcomes)).sort()) {
        if (!OUTCOME_FILE.test(name)) continue
        const text = await readFile(join(outcomes, name), 'utf8')
        /** @param {string} key */
        const field = (key) => new RegExp(`^${key}=(.*)$`, 'm').exec(text)?.[1] ?? ''
        const status = /** @type {import('./relay-store.js').DeliveryStatus} */ (field('status'))
        if (AGENT_STATUSES.has(status) && field('delivery')) {
          await store.report(field('delivery'), status, field('detail').slice(0, 500) || undefined)
        }
        await unlink(join(outcomes, name))
      }
    } finally {
      collecting = false
    }
  }
  const tick = () => void collect().catch((error) => log(`spool: outcomes: ${error}`))
  // The watch makes outcomes appear at once; the timer covers file systems that do not report changes.
  const watcher = watch(outcomes, tick)
  const timer = setInterval(tick, pollMs)
  tick()

  return {
    /**
     * Whether a hook's events go to the spool (and not to subscribers).
     * @param {string} hookId
     */
    owns: (hookId) => store.hookById(hookId)?.serverSide === true,
    async close() {
      unsubscribe()
      watcher.close()
      clearInterval(timer)
      await chain
    },
  }
}

/**
 * Wakes the agent waiting on the spool's FIFO with one byte. Opened without blocking and never
 * created here: no FIFO (no agent yet) or no reader (the agent is gone) leaves the job to the
 * agent's next look at the spool.
 * @param {string} dir
 */
async function wake(dir) {
  /** @type {import('node:fs/promises').FileHandle | undefined} */
  let fifo
  try {
    fifo = await open(join(dir, 'wake'), constants.O_WRONLY | constants.O_NONBLOCK)
    if ((await fifo.stat()).isFIFO()) await fifo.write('\n')
  } catch {
    // ENOENT, ENXIO (no reader) or EAGAIN (a full pipe: the agent has wakes enough).
  } finally {
    await fifo?.close()
  }
}

/** @param {string} path */
const exists = (path) =>
  access(path).then(
    () => true,
    () => false,
  )

import type { Flow } from '../bounded-stream'
import { createSecretMasker } from '../logs/secret-masker'
import { lineSplitter } from '../remote/line-splitter'
import { parseProgressLine, type ProgressLine } from '../remote/progress'
import type { ScriptRunner } from '../remote/script-runner'
import type { Target } from '../targets/target'

export type DeployEvent =
  | Extract<ProgressLine, { type: 'step' }>
  | { type: 'log'; line: string }
  /** The deployment was started on the server; `follow` from `offset` reattaches to it. */
  | { type: 'started'; id: string; /** The commit a git deploy builds. */ commit?: string }

export interface LogFollower {
  /** Bytes of the server's log consumed so far: where a reattach continues. */
  readonly offset: number
  /** How the deploy ended, once its last progress line arrived. */
  readonly outcome: 'succeeded' | 'failed' | null
  /** Streams the log from `offset` until the deploy's last line (or its process ends). */
  follow(target: Target, signal?: AbortSignal): Promise<void>
}

/**
 * Follows a deployment's log on the server (`tail -f` from a byte offset, ending with the deploy's
 * process). The server writes the log through its secret filter already; every chunk also goes
 * through the desktop's streaming masker, which catches a secret split across chunks and the
 * multi-line forms the line-based filter cannot. The masker and line state survive a reattach, so a
 * dropped connection neither repeats nor loses a line.
 */
export function createLogFollower(options: {
  scripts: ScriptRunner
  prefix: string
  app: string
  id: string
  secrets: readonly string[]
  onEvent: (event: DeployEvent) => void
  offset?: number
  /** Paces the reading of the log to its reader. */
  flow?: Flow
}): LogFollower {
  const masker = createSecretMasker(options.secrets)
  let offset = options.offset ?? 0
  let outcome: LogFollower['outcome'] = null
  let stop: (() => void) | null = null
  // What follows the deploy's last line (draining the old container, pruning) is in the stored log only.
  const lines = lineSplitter((line) => {
    if (outcome) return
    const progress = parseProgressLine(line)
    if (progress?.type === 'step') {
      options.onEvent(progress)
      if (progress.step === 'deploy' && progress.status !== 'running') {
        outcome = progress.status === 'failed' ? 'failed' : 'succeeded'
        stop?.()
      }
    } else if (!progress) options.onEvent({ type: 'log', line })
  })

  return {
    get offset() {
      return offset
    },
    get outcome() {
      return outcome
    },
    async follow(target, signal) {
      if (outcome) return
      const ended = new AbortController()
      stop = () => ended.abort()
      const onAbort = () => ended.abort()
      signal?.addEventListener('abort', onAbort, { once: true })
      const { scripts, prefix, app, id } = options
      try {
        await scripts.call(
          target,
          'deploy.follow',
          { prefix, app, id, offset },
          {
            signal: ended.signal,
            flow: options.flow,
            onStdout: (chunk) => {
              if (outcome) return
              offset += chunk.length
              lines.write(Buffer.from(masker.push(chunk)))
            },
          },
        )
      } catch (error) {
        if (!ended.signal.aborted || signal?.aborted) throw error
      } finally {
        signal?.removeEventListener('abort', onAbort)
        stop = null
      }
      if (!outcome) {
        lines.write(Buffer.from(masker.flush()))
        lines.end()
      }
    },
  }
}

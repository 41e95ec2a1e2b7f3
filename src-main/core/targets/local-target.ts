import { spawn } from 'node:child_process'
import { constants } from 'node:os'
import type { ExecOptions, ExecResult, Target } from './target'

export interface LocalTargetOptions {
  /** The commands' environment (default: this process's). Tests use it to point HOME or PATH elsewhere. */
  env?: NodeJS.ProcessEnv
}

/**
 * "This computer" as a Target: the same scripts that run on a server over SSH run here against the
 * local Docker engine, so someone without a server can still use Helvetia.
 */
export class LocalTarget implements Target {
  readonly kind = 'local'
  readonly #env: NodeJS.ProcessEnv | undefined

  constructor(options: LocalTargetOptions = {}) {
    this.#env = options.env
  }

  /** Runs `sh -c command`; an aborted command's process group is killed and the call rejects with the reason. */
  exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const { stdin, onStdout, onStderr, signal, flow } = options
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason)
      // Its own process group, so aborting ends the command's children too (`sh -c 'a | b'`).
      const child = spawn('sh', ['-c', command], { env: this.#env ?? process.env, detached: true })
      const stdout: Buffer[] = []
      const stderr: Buffer[] = []
      child.stdout.on('data', (chunk: Buffer) => (onStdout ? onStdout(chunk) : stdout.push(chunk)))
      child.stderr.on('data', (chunk: Buffer) => (onStderr ? onStderr(chunk) : stderr.push(chunk)))
      // A paused pipe fills, and the command blocks on its next write.
      const detach = flow?.attach({
        pause: () => (child.stdout.pause(), child.stderr.pause()),
        resume: () => (child.stdout.resume(), child.stderr.resume()),
      })
      child.on('close', () => detach?.())
      // A command that exits without reading its input closes the pipe: that is not an error.
      child.stdin.on('error', () => {})
      child.stdin.end(stdin ?? '')

      const abort = () => killGroup(child.pid)
      signal?.addEventListener('abort', abort, { once: true })
      child.on('error', (error) => {
        signal?.removeEventListener('abort', abort)
        reject(error)
      })
      child.on('close', (code, signalName) => {
        signal?.removeEventListener('abort', abort)
        if (signal?.aborted) return reject(signal.reason)
        resolve({
          code: code ?? 128 + (signalName ? constants.signals[signalName] : 0),
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr: Buffer.concat(stderr).toString('utf8'),
        })
      })
    })
  }
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    // Already gone.
  }
}

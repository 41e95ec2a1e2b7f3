import type { Duplex } from 'node:stream'
import type { Flow } from '../bounded-stream'

/**
 * A machine Helvetia runs scripts on: a server over SSH, or "this computer". Provisioning, builds and
 * deploys are written against this interface only, so both kinds run the same scripts the same way.
 */
export interface ExecOptions {
  /** Bytes fed to the command's standard input, then closed. */
  stdin?: string | Buffer
  /** Streamed output; when given, the result's stdout/stderr stay empty. */
  onStdout?: (chunk: Buffer) => void
  onStderr?: (chunk: Buffer) => void
  /** Aborting ends the command (the channel or process is closed). */
  signal?: AbortSignal
  /** Paces the streamed output: it is not read (the channel's window, the pipe fills) while `flow` pauses it. */
  flow?: Flow
}

export interface ExecResult {
  /** The exit code; a command killed by a signal reports 128 + its number, like sh. */
  code: number
  stdout: string
  stderr: string
}

export interface Target {
  readonly kind: 'ssh' | 'local'
  /** Runs one command line in `sh -c` on the target. Every value in it must already be quoted. */
  exec(command: string, options?: ExecOptions): Promise<ExecResult>
  /**
   * A TCP connection opened from the target to `host:port` (over SSH: a forwarded channel). Absent on
   * "this computer", where a plain connection does.
   */
  forwardOut?(host: string, port: number, signal?: AbortSignal): Promise<Duplex>
}

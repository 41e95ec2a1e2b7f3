import type { ClientChannel } from 'ssh2'
import type { TerminalSize } from '../../api/terminals'
import { exitCodeOfSignal } from '../ssh/ssh-channel'
import type { Pausable } from './terminal-output'

/**
 * What runs in a terminal, over SSH or in a local pty: one interface, so the session, its
 * back-pressure and its API do not care which.
 */
export interface TerminalProcess extends Pausable {
  /**
   * Starts delivering: each piece of output, decoded as UTF-8, then (after all of it) the exit code,
   * or null when the connection dropped before the shell reported one.
   */
  start(onData: (text: string) => void, onExit: (code: number | null) => void): void
  write(data: string): void
  resize(size: TerminalSize): void
  /** Ends it (closes the channel, hangs up the pty); the exit follows. */
  close(): void
}

/** A pty channel from SshConnection.openShell. */
export function sshTerminal(channel: ClientChannel): TerminalProcess {
  return {
    start(onData, onExit) {
      // A streaming decoder per stream: a character split across two SSH packets arrives whole.
      const stdout = new TextDecoder('utf-8')
      const stderr = new TextDecoder('utf-8')
      channel.on('data', (chunk: Buffer) => onData(stdout.decode(chunk, { stream: true })))
      channel.stderr.on('data', (chunk: Buffer) => onData(stderr.decode(chunk, { stream: true })))
      // ssh2 emits close once all output was read, with the exit status it kept (an exit event can
      // come in the same read as the channel's confirmation, before anyone could listen for it).
      channel.once('close', (code: number | null = null, signalName?: string) => {
        onData(stdout.decode() + stderr.decode())
        onExit(code ?? (signalName ? exitCodeOfSignal(signalName) : null))
      })
    },
    write: (data) => void channel.write(data),
    resize: ({ rows, cols }) => channel.setWindow(rows, cols, 0, 0),
    pause() {
      channel.pause()
      channel.stderr.pause()
    },
    resume() {
      channel.resume()
      channel.stderr.resume()
    },
    close() {
      // A paused channel would keep its close (and its MaxSessions slot) until its data was read.
      channel.resume()
      channel.stderr.resume()
      channel.close()
    },
  }
}

export interface PtyCommand {
  file: string
  args: string[]
  cwd: string
  env: NodeJS.ProcessEnv
}

/**
 * A process in a pty on this computer. node-pty is loaded on first use: it is a native module, and
 * nothing else in the core needs it.
 */
export async function ptyTerminal(command: PtyCommand, size: TerminalSize): Promise<TerminalProcess> {
  const { spawn } = await import('node-pty')
  const pty = spawn(command.file, command.args, {
    name: 'xterm-256color',
    cols: size.cols,
    rows: size.rows,
    cwd: command.cwd,
    env: command.env,
    // node-pty decodes with a streaming decoder and sets the pty's UTF-8 mode (line editing of
    // multi-byte characters).
    encoding: 'utf8',
  })
  let exited = false
  return {
    start(onData, onExit) {
      pty.onData(onData)
      pty.onExit(({ exitCode, signal }) => {
        exited = true
        onExit(signal ? 128 + signal : exitCode)
      })
    },
    write: (data) => pty.write(data),
    resize: ({ rows, cols }) => {
      if (!exited) pty.resize(cols, rows)
    },
    pause: () => pty.pause(),
    resume: () => pty.resume(),
    close() {
      if (exited) return
      // node-pty reports the exit once it has read the pty to its end.
      pty.resume()
      pty.kill('SIGHUP')
    },
  }
}

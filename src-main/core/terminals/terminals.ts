import { randomUUID } from 'node:crypto'
import type { ClientChannel } from 'ssh2'
import { homedir } from 'node:os'
import { isAbsolute } from 'node:path'
import type { AppStatus } from '../../api/apps'
import type { OpenTerminalInput, TerminalSize, TerminalTarget } from '../../api/terminals'
import type { Apps } from '../apps/apps'
import { oneService, UserError } from '../errors'
import type { TerminalInputs } from '../remote/operations'
import type { ScriptRunner } from '../remote/script-runner'
import type { Servers } from '../servers/servers'
import type { ServerRecord } from '../store/server-store'
import { SshConnection } from '../ssh/ssh-connection'
import type { Target } from '../targets/target'
import type { LocalGate } from '../this-computer'
import { containerShellInput } from './container-shell'
import type { ConnectionOf } from '../databases/database-connection'
import { databaseShellInput } from './database-shell'
import { TerminalOutput, type TerminalOutputOptions } from './terminal-output'
import { ptyTerminal, sshTerminal, type TerminalProcess } from './terminal-process'

/**
 * Session channels a server's connection keeps free of terminals: a terminal holds its channel for
 * its whole life, and deploys, logs and metrics need channels of their own (a deploy runs its script
 * in one and may follow its log in another; the metrics stream holds one).
 */
export const CHANNELS_KEPT_FREE = 2
/** Terminals open at once on one server, at most (fewer when its MaxSessions is low). */
export const MAX_TERMINALS_PER_SERVER = 6
/** Terminals open at once on this computer, at most. */
export const MAX_LOCAL_TERMINALS = 16

export interface TerminalsDeps {
  servers: Pick<Servers, 'get' | 'targetFor'>
  apps: Pick<Apps, 'status'>
  /** A database's server and engine, for its client's terminal. */
  databases: { connectionOf: ConnectionOf }
  scripts: ScriptRunner
  /** The prefix the app containers are labelled with (dev.helvetia.prefix); default `helvetia`. */
  prefix?: string
  /** Whether this face may open a shell on this computer (off in the web mode unless opted in). */
  local: LocalGate
  /** $SHELL and HOME (default: this process's environment). */
  env?: NodeJS.ProcessEnv
  output?: TerminalOutputOptions
}

export interface TerminalSession {
  readonly id: string
  /** The output, then the exit; pulled at the reader's pace. */
  readonly output: TerminalOutput
  /** Ends the terminal (idempotent). */
  close(): void
}

interface Started {
  process: TerminalProcess
  /** What the terminal counts against: a server's id, or this computer. */
  slot: string
}

const THIS_COMPUTER = 'local'

/**
 * Shells in terminals: on a server over its one pooled SSH connection (a pty channel), inside an
 * app's live container or a database's (its engine's client; `docker exec -it` in that channel), or
 * on this computer (a pty of its own).
 */
export function createTerminals(deps: TerminalsDeps) {
  const { servers, apps, scripts, prefix = 'helvetia', local, env = process.env } = deps
  const sessions = new Map<string, TerminalSession & { process: TerminalProcess }>()
  const { open: openIn, release } = createSlots()

  /** A pty of this computer running `file`, counted against this computer's terminals. */
  const localPty = (file: string, args: string[], size: TerminalSize): Promise<Started> =>
    openIn(
      THIS_COMPUTER,
      MAX_LOCAL_TERMINALS,
      () => tooMany('this computer', MAX_LOCAL_TERMINALS),
      () => ptyTerminal(localCommand(env, file, args), size),
    )

  /** The user's own shell on this computer, where the face allows it (see localGate). */
  const localShell = async (size: TerminalSize): Promise<Started> => {
    local('terminal')
    return localPty(env.SHELL && isAbsolute(env.SHELL) ? env.SHELL : '/bin/sh', [], size)
  }

  /** A pty channel on the server's connection, counted against its terminals. */
  const sshShell = async (
    connection: SshConnection,
    server: { id: string; name: string },
    /** Opens the pty channel (a terminal operation of the runner). */
    open: () => Promise<ClientChannel>,
  ): Promise<Started> => {
    const limit = Math.min(MAX_TERMINALS_PER_SERVER, connection.sessionLimit - CHANNELS_KEPT_FREE)
    const refusal = () => serverRefusal(server.name, limit, connection.sessionLimit)
    return openIn(server.id, limit, refusal, async () => sshTerminal(await open()))
  }

  /** A terminal operation's script in a pty on `on`: a channel of a server's connection, or a local pty. */
  const scriptTerminal = async <N extends 'container.shell' | 'database.shell'>(
    on: Target,
    server: ServerRecord,
    name: N,
    input: TerminalInputs[N],
    size: TerminalSize,
    signal?: AbortSignal,
  ): Promise<Started> => {
    if (on instanceof SshConnection) {
      return sshShell(on, server, () => scripts.openTerminal(on, name, input, size, signal))
    }
    const command = (await scripts.terminalCommand(on, name, input, signal)) as string
    return localPty('sh', ['-c', command], size)
  }

  const start = async (
    target: TerminalTarget,
    size: TerminalSize,
    signal?: AbortSignal,
  ): Promise<Started> => {
    switch (target.kind) {
      case 'local':
        return localShell(size)
      case 'server': {
        const server = servers.get(target.server)
        const on = servers.targetFor(server)
        // "This computer" as a server: its shell is the local one.
        if (!(on instanceof SshConnection)) return localShell(size)
        return sshShell(on, server, () => scripts.openTerminal(on, 'server.shell', {}, size, signal))
      }
      case 'container': {
        // Never the wrong container: a terminal in one service or process is not built yet.
        if (target.service !== undefined) throw oneService('A terminal', target.app, target.service)
        const status = await apps.status(target.app, signal)
        const container = liveContainer(status)
        // The app's own server: the container is looked for nowhere else.
        const server = servers.get(status.app.server)
        const on: Target = servers.targetFor(server)
        const owner = { app: status.app.name, prefix }
        const input = await containerShellInput(scripts, on, container, owner, signal)
        return scriptTerminal(on, server, 'container.shell', input, size, signal)
      }
      case 'database': {
        const shell = { ...deps.databases, targetFor: servers.targetFor, scripts, prefix }
        const { server, target: on, input } = await databaseShellInput(shell, target.name, signal)
        return scriptTerminal(on, server, 'database.shell', input, size, signal)
      }
    }
  }

  const get = (id: string) => sessions.get(id) ?? terminalClosed()

  return {
    /** Opens a terminal; `signal` aborts the opening (a wait for a free channel included). */
    async open(input: OpenTerminalInput, signal?: AbortSignal): Promise<TerminalSession> {
      const { rows, cols, ...target } = input
      const { process, slot } = await start(target, { rows, cols }, signal)
      const output = new TerminalOutput(process, deps.output)
      const id = randomUUID()
      let open = true
      const finish = (): void => {
        if (!open) return
        open = false
        sessions.delete(id)
        release(slot)
      }
      const session = {
        id,
        output,
        process,
        close() {
          output.end()
          if (!open) return
          finish()
          process.close()
        },
      }
      sessions.set(id, session)
      process.start(
        (text) => output.write(text),
        (code) => {
          finish()
          output.exit(code)
        },
      )
      if (signal?.aborted) session.close()
      return session
    },

    input(id: string, data: string): void {
      get(id).process.write(data)
    },

    resize(id: string, size: TerminalSize): void {
      get(id).process.resize(size)
    },

    /** Ends every terminal (the core is closing). */
    closeAll(): void {
      for (const session of [...sessions.values()]) session.close()
    },
  }
}

export type Terminals = ReturnType<typeof createTerminals>

/** Terminals open or opening per slot (a server's id, or this computer), each slot with its limit. */
function createSlots() {
  const counts = new Map<string, number>()
  const release = (slot: string): void => {
    const count = (counts.get(slot) ?? 1) - 1
    if (count > 0) counts.set(slot, count)
    else counts.delete(slot)
  }
  /** Starts a process in `slot` when the slot has room (else `refusal`); it counts until released. */
  const open = async (
    slot: string,
    limit: number,
    refusal: () => UserError,
    start: () => Promise<TerminalProcess>,
  ): Promise<Started> => {
    const count = counts.get(slot) ?? 0
    if (count >= limit) throw refusal()
    counts.set(slot, count + 1)
    try {
      return { process: await start(), slot }
    } catch (error) {
      release(slot)
      throw error
    }
  }
  return { open, release }
}

/** The container of the app's live deployment, the one a shell in the app opens in. */
function liveContainer(status: AppStatus): string {
  const container = status.live?.container
  if (!container) {
    throw new UserError(
      'NOT_DEPLOYED',
      `${status.app.name} has no live deployment, so no container to open a shell in.`,
      `Deploy it first (\`helvetia deploy ${status.app.name}\`).`,
    )
  }
  return container
}

/** A command of this computer, in the user's home with a colour terminal. */
function localCommand(env: NodeJS.ProcessEnv, file: string, args: string[]) {
  return {
    file,
    args,
    cwd: env.HOME ?? homedir(),
    env: { ...env, TERM: 'xterm-256color', COLORTERM: 'truecolor' },
  }
}

/** Why no terminal opens on a server: `limit` are open already, or it allows too few sessions for any. */
function serverRefusal(server: string, limit: number, sessionLimit: number): UserError {
  return limit > 0
    ? tooMany(server, limit)
    : new UserError(
        'TERMINAL_LIMIT',
        `${server} allows only ${sessionLimit} sessions per connection, which deploys, logs and metrics need.`,
        'Raise MaxSessions in the server’s sshd_config (OpenSSH’s default is 10), or use `ssh` for a shell.',
      )
}

function terminalClosed(): never {
  throw new UserError('TERMINAL_CLOSED', 'This terminal has closed.', 'Open a new terminal.')
}

function tooMany(where: string, limit: number): UserError {
  return new UserError(
    'TERMINAL_LIMIT',
    `${limit} terminals are open on ${where} already.`,
    'Close one of them, then open this one again.',
  )
}

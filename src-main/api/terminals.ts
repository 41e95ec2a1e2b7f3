/** Terminals: a shell on a server, inside an app's container or on this computer, or a database's client. Types, plain data and input schemas only. */
import { z } from 'zod'
import { call, stream, text } from './spec'

/** Most characters one input call carries (a big paste; xterm sends it as one string). */
export const MAX_TERMINAL_INPUT = 1024 * 1024

/** The terminal's size in character cells. */
const size = {
  rows: z.int().min(1).max(1000),
  cols: z.int().min(1).max(1000),
}
export type TerminalSize = z.infer<z.ZodObject<typeof size>>

/** Where the shell runs, and its size. */
const openTerminalInput = z.discriminatedUnion('kind', [
  /** The login shell of the server's SSH user (on "this computer", the user's own shell). */
  z.strictObject({ kind: z.literal('server'), server: text, ...size }),
  /** bash (else sh) inside the app's live container, on the app's server. */
  /** `service`: a compose app's service or a process type: refused for now (INVALID_OPTION), not built yet. */
  z.strictObject({ kind: z.literal('container'), app: text, service: text.optional(), ...size }),
  /** The engine's own client (psql, mariadb, redis-cli, mongosh) inside a database's container. */
  z.strictObject({ kind: z.literal('database'), name: text, ...size }),
  /** The user's shell ($SHELL, else /bin/sh) on the computer running Helvetia. */
  z.strictObject({ kind: z.literal('local'), ...size }),
])
export type OpenTerminalInput = z.infer<typeof openTerminalInput>
export type TerminalTarget = DistributiveOmit<OpenTerminalInput, keyof TerminalSize>
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

export type TerminalEvent =
  /** First: the session's id, for terminals:input and terminals:resize. */
  | { type: 'opened'; id: string }
  /** Output, decoded as UTF-8 (a character split across reads arrives whole). */
  | { type: 'data'; data: string }
  /** Last: the shell exited with this code (128 + n for signal n); null when the connection dropped. */
  | { type: 'exit'; code: number | null }

export const terminalsContract = {
  /** Opens a terminal and streams its output until the shell exits; cancelling closes the terminal. */
  'terminals:open': stream(openTerminalInput).yields<TerminalEvent>(),
  /** Keys and pastes, as xterm sends them. */
  'terminals:input': call(
    z.strictObject({ id: text, data: z.string().max(MAX_TERMINAL_INPUT) }),
  ).returns<void>(),
  'terminals:resize': call(z.strictObject({ id: text, ...size })).returns<void>(),
} as const

/** Terminals: a shell on a server, inside an app's container, or on this computer. Types and plain data only. */
import { call, stream } from './spec'

/** Where the shell runs. */
export type TerminalTarget =
  /** The login shell of the server's SSH user (on "this computer", the user's own shell). */
  | { kind: 'server'; server: string }
  /** bash (else sh) inside the app's live container, on the app's server. */
  | { kind: 'container'; app: string }
  /** The user's shell ($SHELL, else /bin/sh) on the computer running Helvetia. */
  | { kind: 'local' }

/** The terminal's size in character cells. */
export interface TerminalSize {
  rows: number
  cols: number
}

export type OpenTerminalInput = TerminalTarget & TerminalSize

export type TerminalEvent =
  /** First: the session's id, for terminals:input and terminals:resize. */
  | { type: 'opened'; id: string }
  /** Output, decoded as UTF-8 (a character split across reads arrives whole). */
  | { type: 'data'; data: string }
  /** Last: the shell exited with this code (128 + n for signal n); null when the connection dropped. */
  | { type: 'exit'; code: number | null }

export const terminalsContract = {
  /** Opens a terminal and streams its output until the shell exits; cancelling closes the terminal. */
  'terminals:open': stream<OpenTerminalInput, TerminalEvent>(),
  /** Keys and pastes, as xterm sends them. */
  'terminals:input': call<{ id: string; data: string }, void>(),
  'terminals:resize': call<{ id: string } & TerminalSize, void>(),
} as const

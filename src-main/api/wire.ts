/**
 * The wire protocol between a client (renderer, browser, test) and the API host (core side).
 * The same messages travel over Electron IPC and over the headless mode's WebSocket.
 *
 * Streams use credit-based back-pressure: a subscription opens with some credit (items the client
 * is ready for); the host sends at most that many items, and the client returns credit with `ack`
 * once it has consumed items. A slow consumer therefore pauses the producer instead of flooding it.
 */

export type ClientMessage =
  | { t: 'call'; id: number; method: string; input?: unknown }
  | { t: 'sub'; id: number; method: string; input?: unknown; credit: number }
  | { t: 'ack'; id: number; n: number }
  | { t: 'cancel'; id: number }

export type HostMessage =
  | { t: 'res'; id: number; result?: unknown; error?: WireError }
  | { t: 'item'; id: number; item: unknown }
  | { t: 'end'; id: number; error?: WireError }

export interface WireError {
  name: string
  message: string
  /**
   * Stable machine-readable code, e.g. `HOST_KEY_MISMATCH`; every code Helvetia raises is in the
   * error catalogue (./errors.ts). `INTERNAL` for an error that carries none.
   */
  code: string
  /** What the user can do about it. */
  hint?: string
  /** For an error about one value of the input: its path in the input, e.g. `port`, `changes.domains.1`. */
  field?: string
}

/** A message channel: one per connected client. */
export interface Port<In, Out> {
  send(message: Out): void
  onMessage(listener: (message: In) => void): () => void
  onClose(listener: () => void): () => void
}

/** An error that crossed the wire, rebuilt on the client side with its code, hint and field. */
export class ApiError extends Error {
  readonly code: string
  readonly hint: string | undefined
  readonly field: string | undefined
  constructor(wire: WireError) {
    super(wire.message)
    this.name = wire.name || 'Error'
    this.code = wire.code || INTERNAL
    this.hint = wire.hint
    this.field = wire.field
  }
}

/** The code of an error that carries none: not one Helvetia raises on purpose. */
export const INTERNAL = 'INTERNAL'

export function encodeError(error: unknown): WireError {
  if (error instanceof Error) {
    const { code, hint, field } = error as { code?: unknown; hint?: unknown; field?: unknown }
    return {
      name: error.name,
      message: error.message,
      code: typeof code === 'string' ? code : INTERNAL,
      ...(typeof hint === 'string' ? { hint } : {}),
      ...(typeof field === 'string' ? { field } : {}),
    }
  }
  return { name: 'Error', message: String(error), code: INTERNAL }
}

export function isClientMessage(value: unknown): value is ClientMessage {
  if (typeof value !== 'object' || value === null) return false
  const m = value as Record<string, unknown>
  if (!Number.isSafeInteger(m.id)) return false
  switch (m.t) {
    case 'call':
      return typeof m.method === 'string'
    case 'sub':
      return typeof m.method === 'string' && Number.isSafeInteger(m.credit) && (m.credit as number) > 0
    case 'ack':
      return Number.isSafeInteger(m.n) && (m.n as number) > 0
    case 'cancel':
      return true
    default:
      return false
  }
}

/** The single IPC channel the wire protocol travels on in the desktop app. */
export const WIRE_CHANNEL = 'helvetia:wire'

/**
 * In the headless web mode the access token travels as a WebSocket subprotocol `helvetia-token.<token>`:
 * browsers can set it, and it stays out of URLs and request logs.
 */
export const TOKEN_PROTOCOL_PREFIX = 'helvetia-token.'

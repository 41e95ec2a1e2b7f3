/**
 * The one API that every face (Electron renderer, headless web UI, tests) speaks to the core.
 * Methods are named `<service>:<method>`. A `call` answers once; a `stream` yields items until it
 * ends or the caller cancels it, paced by the caller's acknowledgements (see ./wire.ts).
 *
 * This file is shared by main, preload and renderer: types and plain data only.
 */

export interface CallSpec<I, O> {
  readonly kind: 'call'
  readonly __types?: (input: I) => O
}
export interface StreamSpec<I, T> {
  readonly kind: 'stream'
  readonly __types?: (input: I) => T
}

const call = <I, O>(): CallSpec<I, O> => ({ kind: 'call' })
const stream = <I, T>(): StreamSpec<I, T> => ({ kind: 'stream' })

export type AuthMethod = 'agent' | 'key-file' | 'generated-key'

export interface ServerSummary {
  id: string
  name: string
  host: string
  port: number
  user: string
  auth: AuthMethod
  /** Pinned host key, OpenSSH's `SHA256:…` form; null until the user confirms one. */
  hostKeyFingerprint: string | null
  createdAt: string
}

export interface AppInfo {
  version: string
  home: string
  platform: string
  /** Which face serves this API: the desktop app or the headless web mode. */
  face: 'desktop' | 'web' | 'test'
}

export const contract = {
  'app:info': call<void, AppInfo>(),
  'servers:list': call<void, ServerSummary[]>(),
  'servers:remove': call<{ name: string }, void>(),
  /** The server list now, then again each time it changes. */
  'servers:watch': stream<void, ServerSummary[]>(),
} as const

export type Contract = typeof contract
export type Method = keyof Contract
export type CallMethod = { [K in Method]: Contract[K] extends { kind: 'call' } ? K : never }[Method]
export type StreamMethod = { [K in Method]: Contract[K] extends { kind: 'stream' } ? K : never }[Method]

type SpecTypes<S> = S extends { __types?: (input: infer I) => infer O } ? [I, O] : never
export type InputOf<M extends Method> = SpecTypes<Contract[M]>[0]
export type OutputOf<M extends CallMethod> = SpecTypes<Contract[M]>[1]
export type ItemOf<M extends StreamMethod> = SpecTypes<Contract[M]>[1]

export function isMethod(name: unknown): name is Method {
  return typeof name === 'string' && Object.hasOwn(contract, name)
}

/** What the core implements: one function per method of the contract. */
export type ApiHandlers = {
  [M in CallMethod]: (input: InputOf<M>) => Promise<OutputOf<M>>
} & {
  [M in StreamMethod]: (input: InputOf<M>, signal: AbortSignal) => AsyncIterable<ItemOf<M>>
}

/**
 * The two kinds of API method. A `call` answers once; a `stream` yields items until it ends or the
 * caller cancels it, paced by the caller's acknowledgements (see ./wire.ts). The phantom `__types`
 * carries the input and output types to the contract's users; no value ever has it.
 */

export interface CallSpec<I, O> {
  readonly kind: 'call'
  readonly __types?: (input: I) => O
}
export interface StreamSpec<I, T> {
  readonly kind: 'stream'
  readonly __types?: (input: I) => T
}

export const call = <I, O>(): CallSpec<I, O> => ({ kind: 'call' })
export const stream = <I, T>(): StreamSpec<I, T> => ({ kind: 'stream' })

import { z } from 'zod'

/**
 * The two kinds of API method. A `call` answers once; a `stream` yields items until it ends or the
 * caller cancels it, paced by the caller's acknowledgements (see ./wire.ts). Each declares the schema
 * of its input: the API host checks every input against it before a handler sees it (./host.ts), and
 * the input's type is the schema's, so the two cannot drift. Schemas check the shape (types, known
 * keys); the core checks the rules beyond it (ranges, patterns, what exists) and names the field too.
 * Schemas have no transforms or defaults: what a client sends is what the handler gets. The phantom
 * `__types` carries the input and output types to the contract's users; no value ever has it.
 */

export interface CallSpec<S extends z.ZodType, O> {
  readonly kind: 'call'
  readonly input: S
  readonly __types?: (input: z.output<S>) => O
}
export interface StreamSpec<S extends z.ZodType, T> {
  readonly kind: 'stream'
  readonly input: S
  readonly __types?: (input: z.output<S>) => T
}

/** `call(inputSchema).returns<Output>()`. */
export const call = <S extends z.ZodType>(input: S) => ({
  returns: <O>(): CallSpec<S, O> => ({ kind: 'call', input }),
})
/** `stream(inputSchema).yields<Item>()`. */
export const stream = <S extends z.ZodType>(input: S) => ({
  yields: <T>(): StreamSpec<S, T> => ({ kind: 'stream', input }),
})

/** The input of a method that takes none. */
export const noInput = z.void()
/** A string that must not be empty: a name, an id. */
export const text = z.string().min(1, 'Expected a non-empty string')
/** Just `{ name }`: the many methods about one app. */
export const byName = z.strictObject({ name: text })

/**
 * A string the core checks against its list of allowed values, with the error code scripts already
 * know (INVALID_OPTION, INVALID_SERVER) and the field: the schema takes any string and types it as
 * that list.
 */
export const checkedByCore = <T extends string>() =>
  z.custom<T>((value) => typeof value === 'string', 'Expected a string')

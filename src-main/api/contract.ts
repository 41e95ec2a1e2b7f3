/**
 * The one API that every face (Electron renderer, headless web UI, CLI-driven tests) speaks to the
 * core. Methods are named `<service>:<method>`; each service declares its methods, their input
 * schemas and types in its own file here, and this file joins them. Shared by main, preload and
 * renderer: types, plain data and schemas only.
 */
import type { z } from 'zod'
import { appsContract } from './apps'
import { backupsContract, restoresContract, schedulesContract } from './backups'
import { buildsContract } from './builds'
import { catalogContract } from './catalog'
import { databaseAccessContract, databaseLinksContract, databasesContract } from './databases'
import { githubContract } from './github'
import { registriesContract } from './images'
import { metricsContract } from './metrics'
import { processesContract } from './processes'
import { pushContract } from './push'
import { serversContract } from './servers'
import { stacksContract } from './stacks'
import { call, noInput, type CallSpec, type StreamSpec } from './spec'
import { terminalsContract } from './terminals'

export type * from './apps'
export type * from './backups'
export type * from './builds'
export type * from './catalog'
export type * from './databases'
export type * from './github'
export type * from './images'
export type * from './metrics'
export type * from './processes'
export type * from './push'
export type * from './servers'
export type * from './stacks'
export type * from './terminals'
export type { CallSpec, StreamSpec } from './spec'

export interface AppInfo {
  version: string
  home: string
  platform: string
  /**
   * Which face serves this API: the desktop app, the headless web mode, the CLI (in process) or a test.
   * Deploys and rollbacks started through it record it as their trigger.
   */
  face: 'desktop' | 'web' | 'cli' | 'test'
  /** Web mode started with `--insecure`: plain HTTP, so the token and all else cross the network in clear. */
  insecure?: boolean
}

export const contract = {
  'app:info': call(noInput).returns<AppInfo>(),
  ...serversContract,
  ...appsContract,
  ...metricsContract,
  ...terminalsContract,
  ...githubContract,
  ...pushContract,
  ...databasesContract,
  ...databaseLinksContract,
  ...databaseAccessContract,
  ...backupsContract,
  ...restoresContract,
  ...schedulesContract,
  ...registriesContract,
  ...stacksContract,
  ...buildsContract,
  ...catalogContract,
  ...processesContract,
} as const satisfies Record<string, CallSpec<z.ZodType, unknown> | StreamSpec<z.ZodType, unknown>>

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

/** The handlers of the methods named `<service>:…`, for a service that implements its part. */
export type HandlersOf<Service extends string> = Pick<ApiHandlers, Extract<Method, `${Service}:${string}`>>

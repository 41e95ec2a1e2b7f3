import { fileURLToPath } from 'node:url'
import type { ApiClient } from '../api/client'
import type { InputOf, ItemOf, StreamMethod } from '../api/contract'
import { connectInProcess } from '../api/in-process'
import { createCore, type Core, type CoreOptions } from '../core/create-core'
import { UserError } from '../core/errors'
import { resolveHome } from '../core/home'
import { validatePrefix } from '../core/proxy/validation'
import { createKeytarVault } from '../core/vault/vault'

/** The checkout or installed package the CLI runs from. */
export const APP_ROOT = fileURLToPath(new URL('../..', import.meta.url))

/**
 * The core as the CLI opens it: the user's data folder, the OS keychain, and the names on servers
 * that `HELVETIA_PREFIX` gives (checked before anything opens).
 */
export function openCore(
  face: CoreOptions['face'],
  options: Pick<CoreOptions, 'refreshOnConnect'> = {},
): Core {
  const prefix = resolvePrefix()
  return createCore({
    home: resolveHome(),
    appRoot: APP_ROOT,
    vault: createKeytarVault(),
    face,
    prefix,
    // A mirror of rclone's image for servers that cannot pull from Docker Hub (and the tests' own).
    uploaderImage: process.env.HELVETIA_UPLOADER_IMAGE || undefined,
    ...options,
  })
}

/**
 * What Helvetia names on servers (`~/.<prefix>`, containers, network): `HELVETIA_PREFIX` when set, for
 * two installs side by side on one server and for tests; else the core's default, `helvetia`.
 */
export function resolvePrefix(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env.HELVETIA_PREFIX
  if (!value) return undefined
  try {
    return validatePrefix(value)
  } catch (error) {
    throw new UserError(
      'INVALID_PREFIX',
      `Invalid HELVETIA_PREFIX: ${JSON.stringify(value)}`,
      `${(error as UserError).hint ?? ''} Set HELVETIA_PREFIX to such a name, or unset it to use \`helvetia\`.`.trim(),
    )
  }
}

/**
 * Opens the core for one command and hands the command the API, served in process by the same
 * handlers the desktop app and the web mode serve (the face `cli`); closes both after, whatever
 * happens. By default the command reads what it needs: no background read of the server on
 * connection, cut off when the command exits.
 */
export async function withApi<T>(
  work: (api: ApiClient) => Promise<T>,
  options: Pick<CoreOptions, 'refreshOnConnect'> = { refreshOnConnect: false },
): Promise<T> {
  const core = openCore('cli', options)
  const connection = connectInProcess(core.api)
  try {
    return await work(connection.client)
  } finally {
    connection.close()
    core.close()
  }
}

/**
 * Runs a stream to its end, each item to `onItem`. `stopOn` (like Ctrl-C's SIGINT) ends it cleanly
 * instead: the stream is cancelled and the command finishes as if it had ended.
 */
export async function follow<M extends StreamMethod>(
  api: ApiClient,
  method: M,
  input: InputOf<M>,
  onItem: (item: ItemOf<M>) => void,
  options: { stopOn?: NodeJS.Signals[] } = {},
): Promise<void> {
  const subscription = api.subscribe(method, input, onItem)
  const stop = (): void => subscription.cancel()
  const signals = options.stopOn ?? []
  for (const signal of signals) process.once(signal, stop)
  try {
    await subscription.done
  } finally {
    for (const signal of signals) process.off(signal, stop)
  }
}

/** A stream's last item of a kind (a deploy's `done`), or an error when the stream ended without one. */
export async function outcome<M extends StreamMethod, T extends ItemOf<M>>(
  api: ApiClient,
  method: M,
  input: InputOf<M>,
  isOutcome: (item: ItemOf<M>) => item is T,
  onProgress: (item: Exclude<ItemOf<M>, T>) => void,
): Promise<T> {
  let last: T | undefined
  await follow(api, method, input, (item) => {
    if (isOutcome(item)) last = item
    else onProgress(item as Exclude<ItemOf<M>, T>)
  })
  if (last === undefined) throw new Error(`${method} ended without its outcome`)
  return last
}

export interface OutputOptions {
  json?: boolean
}

/** Prints data as JSON for scripts (`--json`) or as text for people. */
export function output<T>(options: OutputOptions, data: T, human: (data: T) => string): void {
  const text = options.json ? JSON.stringify(data, null, 2) : human(data)
  if (text) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)
}

/** Left-aligned columns for human output. */
export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? []
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}

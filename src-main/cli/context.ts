import { fileURLToPath } from 'node:url'
import { createCore, type Core, type CoreOptions } from '../core/create-core'
import { UserError } from '../core/errors'
import { resolveHome } from '../core/home'
import { validatePrefix } from '../core/proxy/validation'
import { createKeytarVault } from '../core/vault/vault'

/** The checkout or installed package the CLI runs from. */
export const APP_ROOT = fileURLToPath(new URL('../..', import.meta.url))

/**
 * The core as every CLI command uses it: the user's data folder, the OS keychain, and the names on
 * servers that `HELVETIA_PREFIX` gives (checked before anything opens).
 */
export function openCore(
  face: CoreOptions['face'] = 'desktop',
  options: Pick<CoreOptions, 'refreshOnConnect'> = {},
): Core {
  const prefix = resolvePrefix()
  return createCore({
    home: resolveHome(),
    appRoot: APP_ROOT,
    vault: createKeytarVault(),
    face,
    prefix,
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
 * Opens the core for one command and closes it after, whatever happens. The command reads what it
 * needs: no background read of the server on connection, cut off when the command exits.
 */
export async function withCore<T>(work: (core: Core) => Promise<T>): Promise<T> {
  const core = openCore('desktop', { refreshOnConnect: false })
  try {
    return await work(core)
  } finally {
    core.close()
  }
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

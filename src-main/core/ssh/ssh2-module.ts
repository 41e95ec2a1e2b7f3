import { createRequire } from 'node:module'

type Ssh2 = typeof import('ssh2')

let loaded: Ssh2 | undefined

/**
 * ssh2, loaded on first use: it is the largest module the core imports (tens of files, about a
 * third of the CLI's start-up), and commands that read only local data never open a connection.
 */
export function ssh2(): Ssh2 {
  loaded ??= createRequire(import.meta.url)('ssh2') as Ssh2
  return loaded
}

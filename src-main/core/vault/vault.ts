import { createRequire } from 'node:module'
import { UserError } from '../errors'

/** Secrets (private keys, passphrases, app secrets), kept in the OS keychain, never on disk in clear. */
export interface Vault {
  get(account: string): Promise<string | null>
  set(account: string, secret: string): Promise<void>
  delete(account: string): Promise<boolean>
}

/** One keychain service for every face, so a key added in the desktop app works in the CLI too. */
export const KEYCHAIN_SERVICE = 'Helvetia'

type Keytar = typeof import('keytar')

const NO_KEYCHAIN_HINT =
  'Helvetia keeps keys and secrets only in the OS keychain. On Linux, install and unlock a Secret Service ' +
  '(GNOME Keyring or KWallet); on a headless machine run Helvetia inside `dbus-run-session` with ' +
  '`gnome-keyring-daemon --unlock` (see the README).'

export function createKeytarVault(service = KEYCHAIN_SERVICE): Vault {
  let keytar: Keytar | null = null
  const load = (): Keytar => {
    // Loaded on first use: commands that need no secret keep working where keytar cannot load.
    keytar ??= createRequire(import.meta.url)('keytar') as Keytar
    return keytar
  }
  const guard = async <T>(work: (k: Keytar) => Promise<T>): Promise<T> => {
    let k: Keytar
    try {
      k = load()
    } catch (error) {
      throw new UserError(
        'KEYCHAIN_UNAVAILABLE',
        `The OS keychain module could not load: ${firstLine(error)}`,
        NO_KEYCHAIN_HINT,
      )
    }
    try {
      return await work(k)
    } catch (error) {
      throw new UserError(
        'KEYCHAIN_UNAVAILABLE',
        `The OS keychain is not available: ${firstLine(error)}`,
        NO_KEYCHAIN_HINT,
      )
    }
  }
  return {
    get: (account) => guard((k) => k.getPassword(service, account)),
    set: (account, secret) => guard((k) => k.setPassword(service, account, secret)),
    delete: (account) => guard((k) => k.deletePassword(service, account)),
  }
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0] ?? ''
}

import type { Vault } from '../../src-main/core/vault/vault'

/**
 * Stands in for the OS keychain in unit tests that are not about secrets, so they run without a
 * D-Bus session. The real keychain (keytar + gnome-keyring) is tested in test/integration/vault.test.ts.
 */
export function createMemoryVault(): Vault & { entries: Map<string, string> } {
  const entries = new Map<string, string>()
  return {
    entries,
    get: async (account) => entries.get(account) ?? null,
    set: async (account, secret) => void entries.set(account, secret),
    delete: async (account) => entries.delete(account),
  }
}

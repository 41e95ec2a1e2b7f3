import type { TestContext } from 'node:test'

/**
 * For tests that use the real OS keychain (keytar talking to gnome-keyring over the session D-Bus):
 * false, with the test skipped, when there is no session bus (a failure on CI, where there must be one).
 */
export function requireKeychain(t: TestContext): boolean {
  if (process.env.DBUS_SESSION_BUS_ADDRESS) return true
  const reason = 'no D-Bus session with a Secret Service (run through `npm test`, which starts one)'
  if (process.env.CI === 'true') throw new Error(reason)
  t.skip(reason)
  return false
}

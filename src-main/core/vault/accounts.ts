/**
 * Every keychain account Helvetia uses (all under KEYCHAIN_SERVICE): the only place their names are
 * spelled. Each belongs to a server, an app, a relay or the GitHub sign-in and is deleted with it, so
 * a computer whose servers and apps are all removed keeps no Helvetia secret (test/integration/vault).
 */

/**
 * A server's: its private key when Helvetia generated or holds it (not a key file the user keeps), and
 * the passphrase of its key file.
 */
export const serverSecrets = (serverId: string) => ({
  privateKey: `server:${serverId}:private-key`,
  passphrase: `server:${serverId}:passphrase`,
})
/** One secret env value of an app. */
export const appSecretAccount = (appId: string, key: string) => `app:${appId}:env:${key}`
/** An app's deploy key (its private half; the public one is in the store). */
export const deployKeyAccount = (appId: string) => `app:${appId}:deploy-key`
/** The secret GitHub signs an app's webhook deliveries with. */
export const webhookSecretAccount = (appId: string) => `app:${appId}:webhook-secret`
/** A relay's token: kept while an app's webhook goes through the relay or it runs on a known server. */
export const relayTokenAccount = (relayUrl: string) => `relay:${relayUrl}:token`
/** The GitHub sign-in's token. */
export const GITHUB_TOKEN_ACCOUNT = 'github:token'
/** A database's credentials (JSON: user, password, database[, rootPassword]), by its server and name. */
export const databaseAccount = (serverId: string, name: string) => `database:${serverId}:${name}`
/** A backup target's secret access key (core/backups). */
export const backupTargetAccount = (name: string) => `backup-target:${name}`
/** A registry login's password or token (core/images), by the registry's host. */
export const registryAccount = (host: string) => `registry:${host}:password`

import { randomBytes } from 'node:crypto'
import type { DatabaseEngine } from '../../api/databases'
import { UserError } from '../errors'
import { databasePath } from '../rules/layout'
import { databaseAccount } from '../vault/accounts'
import type { Vault } from '../vault/vault'
import { CREDENTIAL_VARIABLES } from './engines-sh'
import { engineNames, ENGINES, type DatabaseCredentials } from './engines'

/** 32 random bytes, base64url: 43 characters any URL, env file and shell word keeps as they are. */
const newPassword = (): string => randomBytes(32).toString('base64url')

/** New credentials for database `name` of `engine`, drawn from the OS's random source. */
export function generateCredentials(engine: DatabaseEngine, name: string): DatabaseCredentials {
  return {
    ...engineNames(engine, name),
    password: newPassword(),
    ...(ENGINES[engine].root ? { rootPassword: newPassword() } : {}),
  }
}

/** The credentials as db-create.sh reads them on standard input: `DB_USER=…` lines. */
export function credentialLines(credentials: DatabaseCredentials): string {
  return (Object.keys(CREDENTIAL_VARIABLES) as (keyof DatabaseCredentials)[])
    .filter((field) => credentials[field] !== undefined)
    .map((field) => `${CREDENTIAL_VARIABLES[field]}=${credentials[field]}\n`)
    .join('')
}

/** The database's credentials in the keychain (account `database:<serverId>:<name>`). */
export function credentialVault(vault: Vault, prefix: string) {
  return {
    load: async (serverId: string, name: string): Promise<DatabaseCredentials | null> => {
      const json = await vault.get(databaseAccount(serverId, name))
      return json === null ? null : (JSON.parse(json) as DatabaseCredentials)
    },
    save: (serverId: string, name: string, credentials: DatabaseCredentials): Promise<void> =>
      vault.set(databaseAccount(serverId, name), JSON.stringify(credentials)),
    forget: (serverId: string, name: string): Promise<boolean> =>
      vault.delete(databaseAccount(serverId, name)),
    /** The credentials, or CREDENTIALS_MISSING (a database created on another computer). */
    async get(serverId: string, name: string): Promise<DatabaseCredentials> {
      const credentials = await this.load(serverId, name)
      if (!credentials) {
        throw new UserError(
          'CREDENTIALS_MISSING',
          `The credentials of ${name} are not in this keychain.`,
          `They are on the server, in ~/${databasePath(prefix, name, 'db_credentials')} (0600).`,
        )
      }
      return credentials
    },
  }
}

export type CredentialVault = ReturnType<typeof credentialVault>

/**
 * Registry logins: the registries this computer may pull private images from. The user name is in
 * the store, the password (or token) in the keychain only; a deploy gets a login for its image's
 * registry (loginFor) and hands it to the server's pull, which deletes it right after
 * (remote-scripts/lib/deploy-pull.sh).
 */
import type { RegistryLogin } from '../../api/images'
import { UserError } from '../errors'
import type { RegistryStore } from '../store/registry-store'
import { registryAccount } from '../vault/accounts'
import type { Vault } from '../vault/vault'
import { registryOf, validateRegistryHost } from './image-ref'

/** A login as a pull uses it: the registry's host and what Docker sends it. */
export interface RegistryAuth {
  host: string
  username: string
  password: string
}

/** Printable, one line, no `:` (Docker joins user and password with one). */
const USERNAME = /^[\x21-\x39\x3b-\x7e]{1,256}$/
/** One line: the server writes it into a Docker config, never a shell line. */
const PASSWORD = /^[^\r\n\0]{1,4096}$/

export function createRegistries(deps: { store: RegistryStore; vault: Vault }) {
  const { store, vault } = deps

  return {
    list: (): RegistryLogin[] => store.list(),

    /** Adds a login, or replaces the registry's: the password goes to the keychain, nowhere else. */
    async add(input: { host: string; username: string; password: string }): Promise<RegistryLogin> {
      const host = validateRegistryHost(input.host)
      if (!USERNAME.test(input.username)) {
        throw new UserError(
          'INVALID_OPTION',
          `Invalid user name: ${JSON.stringify(input.username)}`,
          'Expected the registry user name: one line of printable characters, no space or colon.',
          { field: 'username' },
        )
      }
      if (!PASSWORD.test(input.password)) {
        throw new UserError(
          'INVALID_OPTION',
          input.password === '' ? 'No password given.' : 'The password holds a line break.',
          'Give the password or access token on one line (standard input, or the hidden prompt).',
          { field: 'password' },
        )
      }
      await vault.set(registryAccount(host), input.password)
      const login: RegistryLogin = { host, username: input.username, addedAt: new Date().toISOString() }
      store.save(login)
      return login
    },

    async remove(host: string): Promise<void> {
      const known = store.get(validateRegistryHost(host))
      if (!known) {
        throw new UserError(
          'REGISTRY_NOT_FOUND',
          `No login for the registry ${host}.`,
          'Run `helvetia registry list` to see the registries.',
          { field: 'host' },
        )
      }
      await vault.delete(registryAccount(known.host))
      store.remove(known.host)
    },

    /** The login for the registry REF is pulled from, or null when this computer holds none (a public image). */
    async loginFor(ref: string): Promise<RegistryAuth | null> {
      const login = store.get(registryOf(ref))
      if (!login) return null
      const password = await vault.get(registryAccount(login.host))
      if (password === null) {
        throw new UserError(
          'SECRET_MISSING',
          `The password of the registry ${login.host} is not in this keychain.`,
          `Add the login again: \`helvetia registry add ${login.host} --username ${login.username}\`.`,
        )
      }
      return { host: login.host, username: login.username, password }
    },
  }
}

export type Registries = ReturnType<typeof createRegistries>

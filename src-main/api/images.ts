/**
 * Prebuilt images and the private registries they come from. Types, plain data and input schemas only.
 * A registry's password (or token) lives in this computer's keychain only; a pull on a server gets it
 * through a temporary Docker config that the pull's own script deletes (core/images/).
 */
import { z } from 'zod'
import { call, noInput, text } from './spec'

/** A registry this computer holds credentials for. */
export interface RegistryLogin {
  /** As in an image reference: `registry.example.com`, `127.0.0.1:5000`. */
  host: string
  username: string
  addedAt: string
}

export const registriesContract = {
  /** Checks the login against the registry from this computer is not required: the first pull proves it. */
  'registries:add': call(
    z.strictObject({ host: text, username: text, password: text }),
  ).returns<RegistryLogin>(),
  'registries:list': call(noInput).returns<RegistryLogin[]>(),
  'registries:remove': call(z.strictObject({ host: text })).returns<void>(),
} as const

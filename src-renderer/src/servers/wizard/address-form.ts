import type { AddServerInput, AuthMethod, SshConfigHost } from '../../../../src-main/api/contract'
import { portError } from '../../ui/forms'

/** The wizard's first step as typed: strings, so nothing the user entered is lost or reformatted. */
export interface AddressForm {
  name: string
  host: string
  port: string
  user: string
  /** A server over SSH, or this computer (no address, no SSH). */
  where: 'ssh' | 'local'
  /** How to log in over SSH. */
  auth: SshAuthMethod
  identityFile: string
  passphrase: string
  password: string
}

export type SshAuthMethod = Exclude<AuthMethod, 'local'>

export const EMPTY_ADDRESS: AddressForm = {
  name: '',
  host: '',
  port: '22',
  user: 'root',
  where: 'ssh',
  auth: 'agent',
  identityFile: '',
  passphrase: '',
  password: '',
}

type AddressErrors = Partial<Record<keyof AddressForm, string>>

// The same rules as the core's (src-main/core/servers/server-input.ts), said in the form's words.
const NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?'
const HOST = new RegExp(`^(?:${LABEL}(?:\\.${LABEL})*\\.?|[0-9A-Fa-f:.]+)$`)
const USER = /^[A-Za-z_][A-Za-z0-9._-]{0,31}$/

function nameError(name: string, taken: readonly string[]): string | undefined {
  if (name === '') return 'Give the server a name, like “web-1”.'
  if (!NAME.test(name))
    return 'Use lowercase letters, digits and dashes (at most 63), starting and ending with a letter or digit.'
  if (taken.includes(name)) return `A server named “${name}” already exists: choose another name.`
  return undefined
}

function hostError(host: string): string | undefined {
  const value = host.trim()
  if (value === '') return 'Enter the server’s host name or IP address.'
  if (value.includes('@')) return 'Enter only the host here: the user goes in the User field.'
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || value.includes('/'))
    return 'Enter only the host, without ssh:// or a path.'
  if (/\s/.test(value)) return 'A host name has no spaces.'
  if (/^[^:]+:\d*$/.test(value)) return 'Enter only the host here: the port goes in the Port field.'
  if (!HOST.test(value)) return 'That is not a host name or an IP address.'
  return undefined
}

function userError(user: string): string | undefined {
  const value = user.trim()
  if (value === '') return 'Enter the user to log in as.'
  if (!USER.test(value))
    return 'Use the login name on the server, like root or deploy: letters, digits, dots, dashes, underscores.'
  return undefined
}

export function addressErrors(form: AddressForm, taken: readonly string[]): AddressErrors {
  const remote = form.where === 'ssh'
  const errors: AddressErrors = {
    name: nameError(form.name, taken),
    host: remote ? hostError(form.host) : undefined,
    port: remote ? portError(form.port) : undefined,
    user: remote ? userError(form.user) : undefined,
    identityFile:
      remote && form.auth === 'key-file' && form.identityFile.trim() === ''
        ? 'Enter the path of the private key file.'
        : undefined,
    password:
      remote && form.auth === 'generated-key' && form.password === ''
        ? 'Enter the server’s password: it is used once to install the new key.'
        : undefined,
  }
  return Object.fromEntries(Object.entries(errors).filter(([, message]) => message)) as AddressErrors
}

/** What `servers:add` gets: only what the chosen way of logging in uses. */
export function addServerInput(form: AddressForm, fingerprint: string | null): AddServerInput {
  // The contract asks for a host even here; the core uses localhost for this computer anyway.
  if (form.where === 'local') return { name: form.name, host: 'localhost', auth: 'local' }
  const input: AddServerInput = {
    name: form.name,
    host: form.host.trim(),
    port: Number(form.port),
    user: form.user.trim(),
    auth: form.auth,
  }
  if (fingerprint) input.fingerprint = fingerprint
  if (form.auth === 'key-file') {
    input.identityFile = form.identityFile.trim()
    if (form.passphrase) input.passphrase = form.passphrase
  }
  if (form.auth === 'generated-key') input.password = form.password
  return input
}

/** A Host entry of ~/.ssh/config, as the form's values; its alias made into a valid name. */
export function fromSshConfig(entry: SshConfigHost, form: AddressForm): AddressForm {
  const name = entry.alias
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
  return {
    ...form,
    name,
    where: 'ssh',
    host: entry.host,
    port: String(entry.port),
    user: entry.user ?? form.user,
    auth: entry.identityFile ? 'key-file' : 'agent',
    identityFile: entry.identityFile ?? '',
    passphrase: '',
  }
}

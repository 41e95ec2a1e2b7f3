import type { AddServerInput, AuthMethod } from '../../api/contract'
import { UserError } from '../errors'
import { parseFingerprint } from '../ssh/fingerprint'

/** A server's name: what the user types in commands, so a short DNS-label-like word. */
const NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/
/** A DNS name, an IPv4 address or an IPv6 literal: nothing a shell or ssh option parser could misread. */
const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?|\[?[0-9A-Fa-f:.]+\]?)$/
/** POSIX portable user names. */
const USER = /^[A-Za-z_][A-Za-z0-9._-]{0,31}$/
const AUTH: readonly AuthMethod[] = ['agent', 'key-file', 'generated-key', 'local']

export interface ServerSpec {
  name: string
  host: string
  port: number
  user: string
  auth: AuthMethod
  identityFile: string | null
  passphrase: string | null
  password: string | null
  fingerprint: string | null
}

/** `key`: the field of AddServerInput; `what`: how the message names it. */
const invalid = (key: keyof AddServerInput, message: string, hint: string, what: string = key): UserError =>
  new UserError('INVALID_SERVER', `Invalid ${what}: ${message}`, hint, { field: key })

/** Checks everything about a new server before anything is stored or sent; input may come from any face. */
export function parseServerInput(input: unknown): ServerSpec {
  const raw = (typeof input === 'object' && input !== null ? input : {}) as Partial<
    Record<keyof AddServerInput, unknown>
  >
  const text = (key: keyof AddServerInput): string | null => {
    const value = raw[key]
    if (value === undefined || value === null || value === '') return null
    if (typeof value !== 'string') throw invalid(key, 'expected text.', `Give ${key} as text.`)
    return value
  }
  const name = text('name') ?? ''
  if (!NAME.test(name)) {
    throw invalid(
      'name',
      JSON.stringify(name),
      'Use lowercase letters, digits and dashes, like `web-1` (at most 63).',
    )
  }
  const auth = (text('auth') ?? 'agent') as AuthMethod
  if (!AUTH.includes(auth)) throw invalid('auth', JSON.stringify(auth), `Use one of: ${AUTH.join(', ')}.`)
  const host = auth === 'local' ? 'localhost' : (text('host') ?? '')
  if (!HOST.test(host) || host.startsWith('-')) {
    throw invalid(
      'host',
      JSON.stringify(host),
      'Give a host name or an IP address, like `203.0.113.7` or `app.example.com`.',
    )
  }
  const port = raw.port === undefined || raw.port === null ? 22 : raw.port
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw invalid('port', JSON.stringify(port), 'Give a port from 1 to 65535 (SSH is usually on 22).')
  }
  const user = text('user') ?? (auth === 'local' ? (process.env.USER ?? 'root') : 'root')
  if (!USER.test(user))
    throw invalid('user', JSON.stringify(user), 'Give the login name on the server, like `root` or `deploy`.')
  const identityFile = text('identityFile')
  if (auth === 'key-file' && !identityFile) {
    throw invalid(
      'identityFile',
      'none given.',
      'Pick the private key file to log in with (for example ~/.ssh/id_ed25519).',
      'key file',
    )
  }
  const fingerprint = text('fingerprint')
  return {
    name,
    host: host.replace(/^\[(.*)\]$/, '$1'),
    port,
    user,
    auth,
    identityFile: auth === 'key-file' ? identityFile : null,
    passphrase: auth === 'key-file' ? text('passphrase') : null,
    password: auth === 'generated-key' ? text('password') : null,
    fingerprint: fingerprint === null ? null : parseFingerprint(fingerprint),
  }
}

/** Servers: connecting, checking and provisioning them. Types and plain data only. */
import { call, stream } from './spec'

/** How Helvetia logs in; `local` is "this computer": no SSH, the local Docker engine. */
export type AuthMethod = 'agent' | 'key-file' | 'generated-key' | 'local'

export interface ServerSummary {
  id: string
  name: string
  host: string
  port: number
  user: string
  auth: AuthMethod
  /** Pinned host key, OpenSSH's `SHA256:…` form; null until the user confirms one. */
  hostKeyFingerprint: string | null
  createdAt: string
  /**
   * The reverse proxy on the server as last read from it (after provisioning, and on each facts read
   * or (re)connection); null when no proxy of Helvetia's runs there.
   */
  proxy: ServerProxy | null
}

/** The reverse proxy running on a server: what its container runs and its configuration says. */
export interface ServerProxy {
  kind: ProxyKind
  /** The host ports it is published on (the same inside the container). */
  httpPort: number
  httpsPort: number
  /** Whether the Let's Encrypt account has an email, for expiry notices. */
  acmeEmail: boolean
  /** When this computer last read it from the server. */
  checkedAt: string
}

export type HostKeyStatus = 'known' | 'unknown' | 'mismatch'

/** What a server presented on first contact, for the user to confirm before anything is sent. */
export interface HostKeyProbe {
  host: string
  port: number
  keyType: string
  /** OpenSSH's form: `SHA256:` and the unpadded base64 of the key's SHA-256. */
  fingerprint: string
  /** `known`: ~/.ssh/known_hosts already vouches for it; `mismatch`: it names another key for this host. */
  status: HostKeyStatus
}

export interface AddServerInput {
  name: string
  host: string
  port?: number
  user?: string
  auth: AuthMethod
  /** Private key file, for `key-file`. */
  identityFile?: string
  /** Passphrase of that key file, kept in the keychain. */
  passphrase?: string
  /** One-time password used only to install a generated key in authorized_keys; never stored. */
  password?: string
  /** The fingerprint the user confirmed; the connection is refused if the server presents another. */
  fingerprint?: string
}

export interface ServerFacts {
  os: string
  osVersion: string
  arch: string
  /** How Helvetia gets root on it: already root, sudo without a password, or none. */
  privilege: 'root' | 'sudo' | 'none'
  dockerVersion: string | null
  cpus: number
  memoryBytes: number
  diskFreeBytes: number
}

export type ProxyKind = 'traefik' | 'caddy'

export interface ProvisionInput {
  name: string
  proxy?: ProxyKind
  proxyImage?: string
  httpPort?: number
  httpsPort?: number
  /** Let's Encrypt account email. */
  email?: string
  /** Address the proxy's ports are published on (default all: 0.0.0.0). */
  bind?: string
}

/** A provisioning step's progress, or the final outcome. */
export type ProvisionEvent =
  | { type: 'step'; step: string; status: 'running' | 'done' | 'skipped' | 'failed'; message: string }
  | { type: 'log'; line: string }
  | { type: 'done'; changed: boolean; facts: ServerFacts; proxy: ServerProxy | null }

export interface SshConfigHost {
  alias: string
  host: string
  port: number
  user: string | null
  identityFile: string | null
  proxyJump: string | null
}

export const serversContract = {
  'servers:list': call<void, ServerSummary[]>(),
  /**
   * Forgets the server on this computer (nothing on it changes). Refused (SERVER_HAS_APPS) while it
   * has apps, unless `force`, which forgets its apps on this computer too; they keep running there.
   * Resolves the names of the apps forgotten.
   */
  'servers:remove': call<{ name: string; force?: boolean }, string[]>(),
  /** Connects just far enough to read the host key, sends nothing, and reports it. */
  'servers:probe-host-key': call<{ host: string; port?: number }, HostKeyProbe>(),
  'servers:add': call<AddServerInput, ServerSummary>(),
  /** Connects and reads the server's facts. */
  'servers:check': call<{ name: string }, ServerFacts>(),
  'servers:provision': stream<ProvisionInput, ProvisionEvent>(),
  'servers:import-ssh-config': call<void, SshConfigHost[]>(),
  /** The server list now, then again each time it changes. */
  'servers:watch': stream<void, ServerSummary[]>(),
} as const

/** Servers: connecting, checking and provisioning them. Types, plain data and input schemas only. */
import { z } from 'zod'
import { call, checkedByCore, noInput, stream, text } from './spec'

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

/**
 * A server to add. Its values are checked by the core (core/servers/server-input.ts), which names the
 * field and says what it expects; an empty string is a value left out.
 */
const addServerInput = z.strictObject({
  name: z.string(),
  host: z.string(),
  port: z.number().optional(),
  user: z.string().optional(),
  auth: checkedByCore<AuthMethod>(),
  /** Private key file, for `key-file`. */
  identityFile: z.string().optional(),
  /** Passphrase of that key file, kept in the keychain. */
  passphrase: z.string().optional(),
  /** One-time password used only to install a generated key in authorized_keys; never stored. */
  password: z.string().optional(),
  /** The fingerprint the user confirmed; the connection is refused if the server presents another. */
  fingerprint: z.string().optional(),
})
export type AddServerInput = z.infer<typeof addServerInput>

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

/** What provisioning sets up; the core checks each value (core/proxy/proxy-options.ts) and names it. */
const provisionInput = z.strictObject({
  name: text,
  proxy: checkedByCore<ProxyKind>().optional(),
  proxyImage: z.string().optional(),
  httpPort: z.number().optional(),
  httpsPort: z.number().optional(),
  /** Let's Encrypt account email. */
  email: z.string().optional(),
  /** Address the proxy's ports are published on (default all: 0.0.0.0). */
  bind: z.string().optional(),
})
export type ProvisionInput = z.infer<typeof provisionInput>

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
  'servers:list': call(noInput).returns<ServerSummary[]>(),
  /**
   * Forgets the server on this computer (nothing on it changes). Refused (SERVER_HAS_APPS) while it
   * has apps, unless `force`, which forgets its apps on this computer too; they keep running there.
   * Resolves the names of the apps forgotten.
   */
  'servers:remove': call(z.strictObject({ name: text, force: z.boolean().optional() })).returns<string[]>(),
  /** Connects just far enough to read the host key, sends nothing, and reports it. */
  'servers:probe-host-key': call(
    z.strictObject({ host: text, port: z.number().optional() }),
  ).returns<HostKeyProbe>(),
  'servers:add': call(addServerInput).returns<ServerSummary>(),
  /** Connects and reads the server's facts. */
  'servers:check': call(z.strictObject({ name: text })).returns<ServerFacts>(),
  'servers:provision': stream(provisionInput).yields<ProvisionEvent>(),
  'servers:import-ssh-config': call(noInput).returns<SshConfigHost[]>(),
  /** The server list now, then again each time it changes. */
  'servers:watch': stream(noInput).yields<ServerSummary[]>(),
} as const

import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import type {
  AddServerInput,
  HostKeyProbe,
  ProvisionEvent,
  ProvisionInput,
  ServerFacts,
  ServerProxy,
  ServerSummary,
} from '../../api/contract'
import { forgetApp } from '../apps/apps'
import type { AppStore } from '../apps/app-store'
import type { Changes } from '../changes'
import { UserError } from '../errors'
import type { Provisioner } from '../provision/provision'
import { createConnectionPool } from '../ssh/connection-pool'
import { generateKeyPair } from '../ssh/key-pair'
import { probeHostKey } from '../ssh/probe-host-key'
import type { SshAuth } from '../ssh/ssh-auth'
import { SshConnection } from '../ssh/ssh-connection'
import { createHostKeyPolicy } from '../ssh/host-key-policy'
import type { ServerRecord, ServerStore } from '../store/server-store'
import { LocalTarget } from '../targets/local-target'
import type { Target } from '../targets/target'
import type { LocalGate } from '../this-computer'
import { serverSecrets } from '../vault/accounts'
import type { Vault } from '../vault/vault'
import type { RelayTokens } from '../push/relay-tokens'
import { parseServerInput, type ServerSpec } from './server-input'

export const summarize = ({ keyPath: _keyPath, ...summary }: ServerRecord): ServerSummary => summary

export interface ServersDeps {
  store: ServerStore
  /** The apps, each on one server: a server that still has apps is not removed without `force`. */
  apps: AppStore
  vault: Vault
  /** Which relay tokens go with a removed server or app. */
  relayTokens: RelayTokens
  changes: Changes
  provisioner: Provisioner
  /** OpenSSH's known_hosts (default ~/.ssh/known_hosts). */
  knownHostsPath?: string
  /** Read the server's proxy again on each (re)connection (see CoreOptions). */
  refreshOnConnect: boolean
  /** Whether this face may add and reach "this computer" as a server. */
  local: LocalGate
}

export function createServers(deps: ServersDeps) {
  const { store, apps, vault, relayTokens, changes, provisioner, knownHostsPath, refreshOnConnect, local } =
    deps
  const thisComputer = new LocalTarget()
  /** Servers whose facts are being read now: a (re)connection meanwhile needs no read of its own. */
  const reading = new Set<string>()
  const pool = createConnectionPool({
    knownHostsPath,
    // The server is the record of what runs on it: each (re)connection reads it again, in one exec.
    onConnected: ({ id }) => {
      const server = store.getById(id)
      if (!refreshOnConnect || !server || reading.has(id)) return
      readingState(server, (target) => provisioner.readState(target)).catch(() => {
        // Best effort: the next connection or check reads it again.
      })
    },
    // Asked before each (re)connection, so a key changed in the keychain is picked up.
    credentialsFor: async ({ id }) => {
      const server = store.getById(id)
      if (!server)
        throw new UserError('SERVER_NOT_FOUND', 'This server was removed.', 'Run `helvetia server list`.')
      return credentials(server)
    },
  })

  const get = (name: string): ServerRecord => {
    const server = store.get(name)
    if (!server) {
      throw new UserError(
        'SERVER_NOT_FOUND',
        `No server named "${name}".`,
        'Run `helvetia server list` to see the servers.',
      )
    }
    return server
  }

  /**
   * The one connection everything on this server shares ("this computer" needs none). Every deploy,
   * log, check, shell and relay on a server goes through here, so here is where the face's switch for
   * "this computer" holds.
   */
  const targetFor = (server: ServerRecord): Target => {
    if (server.auth !== 'local') return pool.get(server)
    local('server')
    return thisComputer
  }

  return {
    get,
    targetFor,
    /** Ends every server connection (the CLI calls this before it exits). */
    closeConnections: () => pool.closeAll(),
    list: (): ServerSummary[] => store.list().map(summarize),

    probeHostKey: (host: string, port?: number): Promise<HostKeyProbe> => {
      const spec = parseServerInput({ name: 'probe', host, port })
      return probeHostKey(spec.host, spec.port, { knownHostsPath })
    },

    /**
     * Adds a server once it has proven it is the server the user meant (its host key) and that Helvetia
     * can log in. Nothing is stored when any step fails.
     */
    async add(input: AddServerInput): Promise<ServerSummary> {
      const spec = parseServerInput(input)
      if (spec.auth === 'local') local('server')
      if (store.get(spec.name)) {
        throw new UserError(
          'SERVER_EXISTS',
          `A server named "${spec.name}" already exists.`,
          'Pick another name, or remove it first.',
        )
      }
      const record: ServerRecord = {
        id: randomUUID(),
        name: spec.name,
        host: spec.host,
        port: spec.port,
        user: spec.user,
        auth: spec.auth,
        keyPath: spec.identityFile,
        hostKeyFingerprint: spec.auth === 'local' ? null : await confirmedFingerprint(spec),
        createdAt: new Date().toISOString(),
        // Read on its first check or connection.
        proxy: null,
      }
      const secrets = serverSecrets(record.id)
      const toStore = new Map<string, string>()
      if (spec.auth === 'key-file' && spec.passphrase) toStore.set(secrets.passphrase, spec.passphrase)
      if (spec.auth === 'generated-key') {
        const pair = generateKeyPair(`helvetia@${spec.name}`)
        await withConnection(record, installAuth(spec), (target) =>
          provisioner.authorizeKey(target, pair.publicKey),
        )
        toStore.set(secrets.privateKey, pair.privateKey)
      }
      if (spec.auth !== 'local') {
        // The login that the stored server will use, proven before it is stored.
        const auth: SshAuth =
          spec.auth === 'generated-key'
            ? { kind: 'key', privateKey: toStore.get(secrets.privateKey) as string }
            : spec.auth === 'key-file'
              ? await keyFileAuth(record.keyPath, spec.passphrase)
              : { kind: 'agent' }
        await withConnection(record, auth, (target) => provisioner.ping(target))
      }
      for (const [account, secret] of toStore) await vault.set(account, secret)
      store.insert(record)
      changes.emit('servers')
      return summarize(record)
    },

    /** Connects (reusing the server's connection) and reads its facts, refreshing what runs on it. */
    check: async (name: string, signal?: AbortSignal): Promise<ServerFacts> =>
      (await readingState(get(name), (target) => provisioner.readState(target, signal))).facts,

    /** Provisions the server and remembers the proxy it now runs. */
    provision(input: ProvisionInput, onEvent: (event: ProvisionEvent) => void, signal?: AbortSignal) {
      const { name, ...options } = input
      return readingState(get(name), (target) => provisioner.provision(target, options, onEvent, signal))
    },

    /**
     * Forgets a server on this computer and deletes its keys from the keychain; nothing on the server
     * changes. A server that still has apps is refused (SERVER_HAS_APPS), since they would point at
     * nothing; with `force`, its apps are forgotten on this computer too (their records and secrets),
     * and keep running on the server. Returns the names of the apps forgotten.
     */
    async remove(name: string, options: { force?: boolean } = {}): Promise<string[]> {
      const server = get(name)
      const onServer = apps.list().filter((app) => app.serverId === server.id)
      const names = onServer.map((app) => app.name)
      if (onServer.length > 0 && !options.force) {
        throw new UserError(
          'SERVER_HAS_APPS',
          `${server.name} still has ${names.length === 1 ? 'an app' : `${names.length} apps`}: ${names.join(', ')}.`,
          `Remove ${names.length === 1 ? 'it' : 'them'} first (${names.map((app) => `\`helvetia app remove ${app}\``).join(', ')}), ` +
            `or forget the server and its apps on this computer only with \`helvetia server remove ${server.name} --force\` (they keep running on the server).`,
        )
      }
      for (const app of onServer) await forgetApp({ store: apps, vault, relayTokens }, app)
      if (onServer.length > 0) changes.emit('apps')
      pool.close(server.id)
      const secrets = serverSecrets(server.id)
      await vault.delete(secrets.privateKey)
      await vault.delete(secrets.passphrase)
      const relays = relayTokens.ofServer(server.id)
      store.remove(server.id)
      await relayTokens.forgetUnused(vault, relays)
      changes.emit('servers')
      return names
    },
  }

  /**
   * Runs `read` (a script that reports the server's facts and proxy) on the server and remembers the
   * proxy it found; a (re)connection meanwhile reads nothing more.
   */
  async function readingState<T extends { proxy: ServerProxy | null }>(
    server: ServerRecord,
    read: (target: Target) => Promise<T>,
  ): Promise<T> {
    reading.add(server.id)
    try {
      const result = await read(targetFor(server))
      if (store.setProxy(server.id, result.proxy)) changes.emit('servers')
      return result
    } finally {
      reading.delete(server.id)
    }
  }

  /**
   * The fingerprint to pin: the one the user confirmed (the server must present exactly it), or the
   * one known_hosts vouches for. An unknown key is never accepted without the user's word.
   */
  async function confirmedFingerprint(spec: ServerSpec): Promise<string> {
    if (spec.fingerprint) return spec.fingerprint
    const probe = await probeHostKey(spec.host, spec.port, { knownHostsPath })
    if (probe.status === 'known') return probe.fingerprint
    if (probe.status === 'mismatch') {
      throw new UserError(
        'HOST_KEY_MISMATCH',
        `${spec.host}:${spec.port} presented ${probe.fingerprint}, but ~/.ssh/known_hosts lists another key for it.`,
        'Someone may be intercepting the connection, or the server was reinstalled. Check the key with the server’s administrator; nothing was sent.',
      )
    }
    throw new UserError(
      'HOST_KEY_UNKNOWN',
      `${spec.host}:${spec.port} presented an unknown host key: ${probe.keyType} ${probe.fingerprint}`,
      `Check it with the server's administrator (\`ssh-keygen -lf /etc/ssh/ssh_host_${probe.keyType.replace(/^ssh-/, '')}_key.pub\` on the server), then confirm it (--fingerprint ${probe.fingerprint}).`,
    )
  }

  /** How to log in to install a generated key: a one-time password, else the user's agent. */
  function installAuth(spec: ServerSpec): SshAuth {
    return spec.password ? { kind: 'password', password: spec.password } : { kind: 'agent' }
  }

  /** A login for the stored server: its key from the file or the vault, or the agent. */
  async function credentials(server: ServerRecord): Promise<SshAuth> {
    const secrets = serverSecrets(server.id)
    switch (server.auth) {
      case 'agent':
        return { kind: 'agent' }
      case 'key-file':
        return keyFileAuth(server.keyPath, await vault.get(secrets.passphrase))
      case 'generated-key': {
        const privateKey = await vault.get(secrets.privateKey)
        if (!privateKey) {
          throw new UserError(
            'KEY_MISSING',
            `The key Helvetia generated for ${server.name} is not in this keychain.`,
            'Remove the server and add it again to generate a new key.',
          )
        }
        return { kind: 'key', privateKey }
      }
      case 'local':
        throw new Error('"This computer" needs no SSH login')
    }
  }

  async function keyFileAuth(keyPath: string | null, passphrase: string | null): Promise<SshAuth> {
    const path = (keyPath ?? '').replace(/^~(?=\/|$)/, homedir())
    const privateKey = await readFile(path).catch((error: NodeJS.ErrnoException) => {
      throw new UserError(
        'KEY_UNREADABLE',
        `Cannot read the key file ${path}: ${error.code ?? error.message}.`,
        'Check the path and its permissions, or pick another key file.',
      )
    })
    return { kind: 'key', privateKey, ...(passphrase ? { passphrase } : {}) }
  }

  /** A short-lived connection for adding a server: the pool only holds servers that are stored. */
  async function withConnection<T>(
    server: ServerRecord,
    auth: SshAuth,
    work: (target: Target) => Promise<T>,
  ): Promise<T> {
    const connection = new SshConnection({
      host: server.host,
      port: server.port,
      user: server.user,
      auth,
      hostKey: createHostKeyPolicy({ pinned: server.hostKeyFingerprint, knownHostsPath }),
      reconnect: { giveUpAfterMs: 0 },
    })
    try {
      return await work(connection)
    } finally {
      connection.close()
    }
  }
}

export type Servers = ReturnType<typeof createServers>

import type { Flow } from '../bounded-stream'
import { randomUUID } from 'node:crypto'
import type {
  AddServerInput,
  HostKeyProbe,
  ProvisionEvent,
  ProvisionInput,
  ServerFacts,
  ServerProxy,
  ServerSummary,
} from '../../api/contract'
import type { AppStore } from '../store/app-store'
import type { Changes } from '../changes'
import { UserError } from '../errors'
import type { Provisioner } from '../provision/provision'
import { createConnectionPool } from '../ssh/connection-pool'
import { generateKeyPair } from '../ssh/key-pair'
import { probeHostKey } from '../ssh/probe-host-key'
import type { SshAuth } from '../ssh/ssh-auth'
import type { ServerRecord, ServerStore } from '../store/server-store'
import { LocalTarget } from '../targets/local-target'
import type { Target } from '../targets/target'
import type { LocalGate } from '../this-computer'
import { serverSecrets } from '../vault/accounts'
import type { Vault } from '../vault/vault'
import type { RelayTokens } from '../store/relay-tokens'
import { parseServerInput } from './server-input'
import { createServerLogin } from './server-login'
import { removeServer } from './server-removal'

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

/** The stored server named `name`, or SERVER_NOT_FOUND. */
function serverNamed(store: ServersDeps['store'], name: string): ServerRecord {
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

export function createServers(deps: ServersDeps) {
  const { store, vault, changes, provisioner, knownHostsPath, refreshOnConnect, local } = deps
  const { confirmedFingerprint, installAuth, credentials, keyFileAuth, withConnection } =
    createServerLogin(deps)
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

  const get = (name: string): ServerRecord => serverNamed(store, name)

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
    /** The server with this id, or null once it is removed. */
    byId: (id: string): ServerRecord | null => store.getById(id),
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
    provision(
      input: ProvisionInput,
      onEvent: (event: ProvisionEvent) => void,
      signal?: AbortSignal,
      flow?: Flow,
    ) {
      const { name, ...options } = input
      const provision = (target: Target) => provisioner.provision(target, options, onEvent, signal, flow)
      return readingState(get(name), provision)
    },

    /**
     * Forgets a server on this computer and deletes its keys from the keychain (see removeServer).
     * Returns the names of the apps forgotten with it.
     */
    remove: (name: string, options: { force?: boolean } = {}): Promise<string[]> =>
      removeServer({ ...deps, pool }, get(name), options),
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
}

export type Servers = ReturnType<typeof createServers>

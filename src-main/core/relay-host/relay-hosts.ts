import type { Flow } from '../bounded-stream'
import { randomBytes } from 'node:crypto'
import type { InstalledRelay } from '../../api/push'
import { appDomains, parseDomainAt, resolveAppSpec } from '../deploy/app-spec'
import type { DeployEvent } from '../deploy/deploy-log'
import { UserError } from '../errors'
import { relayTokenAccount } from '../vault/accounts'
import type { ScriptRunner } from '../remote/script-runner'
import type { Servers } from '../servers/servers'
import type { Db } from '../store/database'
import { createRelayHostStore } from '../store/relay-host-store'
import type { ServerRecord } from '../store/server-store'
import type { Vault } from '../vault/vault'
import { relayConnector, type Connector } from './relay-tunnel'
import { normalizeRelayUrl } from './relay-url'
import { DEFAULT_RELAY_BASE_IMAGE, relayContainer, relayInstallArchive } from './relay-install'

export type { InstalledRelay } from '../../api/push'

export interface InstallRelayInput {
  /** The relay's domain (default relay.<server ip>.sslip.io, HTTPS); `http://host` is plain HTTP. */
  domain?: string
  /** The Node image the relay is built from (default node:22-alpine, pulled on the server). */
  baseImage?: string
  onEvent?: (event: DeployEvent) => void
  signal?: AbortSignal
  /** Paces the install's output to its reader. */
  flow?: Flow
}

/**
 * Relays Helvetia runs on the user's own servers: installed with one call, reached through the
 * server's SSH connection (never a public port), and able to deploy that server's apps by themselves.
 */
export function createRelayHosts(deps: {
  db: Db
  vault: Vault
  servers: Servers
  scripts: ScriptRunner
  /** The relay's files (relay/ of the installed app). */
  relayDir: string
  prefix?: string
}) {
  const { vault, servers, scripts } = deps
  const prefix = deps.prefix ?? 'helvetia'
  const hosts = createRelayHostStore(deps.db)

  const serverById = (serverId: string): ServerRecord => {
    const server = servers.byId(serverId)
    if (!server) {
      throw new UserError(
        'SERVER_NOT_FOUND',
        'The server the relay runs on was removed.',
        'Install the relay on another server: `helvetia relay install SERVER`.',
      )
    }
    return servers.get(server.name)
  }

  return {
    /**
     * Builds the relay on the server and runs it behind the proxy, with a token generated here (kept
     * in the keychain; a relay installed again keeps its token), and starts the server's push agent.
     */
    async install(serverName: string, input: InstallRelayInput = {}): Promise<InstalledRelay> {
      const server = servers.get(serverName)
      const [domain] = input.domain
        ? [parseDomainAt(input.domain, 'domain')]
        : appDomains(resolveAppSpec({ name: 'relay' }), server.host)
      if (!domain) throw new Error('no domain')
      const url = normalizeRelayUrl(`${domain.https ? 'https' : 'http'}://${domain.host}`)
      const account = relayTokenAccount(url)
      const token = (await vault.get(account)) ?? randomBytes(32).toString('hex')
      // Kept before the server has it: a relay that started with a token nobody kept is unreachable.
      await vault.set(account, token)
      const archive = await relayInstallArchive({
        relayDir: deps.relayDir,
        prefix,
        baseImage: input.baseImage ?? DEFAULT_RELAY_BASE_IMAGE,
        domains: [domain],
        publicUrl: url,
        token,
      })
      const options = { prefix, verifyHost: domain.https ? undefined : domain.host }
      const { facts } = await scripts.call(servers.targetFor(server), 'relay.install', options, {
        stdin: archive,
        signal: input.signal,
        flow: input.flow,
        onEvent: (event) => {
          if (event.type === 'step') input.onEvent?.(event)
          else if (event.type === 'log') input.onEvent?.({ type: 'log', line: event.line })
        },
      })
      hosts.save(url, server.id)
      return {
        url,
        server: server.name,
        container: facts.container ?? relayContainer(prefix),
        agentStartsAtBoot: facts.boot === 'crontab',
      }
    },

    /** The server a relay runs on, when Helvetia installed it there. */
    serverOf(relayUrl: string): ServerRecord | null {
      const serverId = hosts.serverIdOf(relayUrl)
      return serverId === null ? null : serverById(serverId)
    },

    /**
     * Leaves an app's deploy key on its server as a 0600 file (~/.PREFIX/apps/APP/deploy-key), for the
     * deploys the server starts by itself; null removes it (the app has none).
     */
    async keepDeployKey(server: ServerRecord, app: string, privateKey: string | null): Promise<void> {
      const input = { prefix, app, action: privateKey === null ? ('remove' as const) : ('keep' as const) }
      try {
        await scripts.call(servers.targetFor(server), 'deploy-key.keep', input, { stdin: privateKey ?? '' })
      } catch (error) {
        if (!(error instanceof UserError) || error.code !== 'SCRIPT_FAILED') throw error
        throw new UserError(
          'DEPLOY_KEY_NOT_KEPT',
          `Could not leave the deploy key of ${app} on ${server.name}: ${error.message}`,
          "Check that the user's home folder on the server is writable, then connect the webhook again.",
        )
      }
    },

    /** How to reach a relay installed on a server: through its SSH connection; null for any other. */
    connector(relayUrl: string): Connector | null {
      const serverId = hosts.serverIdOf(relayUrl)
      return serverId === null
        ? null
        : relayConnector(scripts, servers.targetFor(serverById(serverId)), prefix)
    },
  }
}

export type RelayHosts = ReturnType<typeof createRelayHosts>

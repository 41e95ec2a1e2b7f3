import type { Flow } from '../bounded-stream'
import type { ProvisionEvent, ServerFacts, ServerProxy } from '../../api/contract'
import { caddyfile } from '../proxy/caddy'
import { resolveProxyOptions, type ProxyInput, type ProxyOptions } from '../proxy/proxy-options'
import { traefikYaml } from '../proxy/traefik'
import { validatePrefix } from '../proxy/validation'
import { installPublicKey } from '../remote/authorized-keys'
import type { OperationInputs } from '../remote/operations'
import type { ScriptEvent, ScriptRunner } from '../remote/script-runner'
import type { Target } from '../targets/target'
import { toServerFacts } from './server-facts'
import { toServerProxy } from './server-proxy'

export interface ProvisionResult {
  /** False when the server already matched: nothing was installed, written, created or restarted. */
  changed: boolean
  facts: ServerFacts
  /** The proxy now running, as read back from the server. */
  proxy: ServerProxy | null
}

/** What a server is, read from it in one script run. */
export interface ServerState {
  facts: ServerFacts
  /** The proxy running under the prefix; null when none does. */
  proxy: ServerProxy | null
}

export interface Provisioner {
  /** Proves that a login works and runs Helvetia's scripts (of a protocol this Helvetia speaks). */
  ping(target: Target, signal?: AbortSignal): Promise<void>
  /** Adds `publicKey` to the login user's authorized_keys; true when it was not there yet. */
  authorizeKey(target: Target, publicKey: string): Promise<boolean>
  /** Reads the server's facts and its proxy; changes nothing. */
  readState(target: Target, signal?: AbortSignal): Promise<ServerState>
  /** Reads the server's facts; changes nothing. */
  readFacts(target: Target, signal?: AbortSignal): Promise<ServerFacts>
  /**
   * Makes the target a Helvetia host (remote-scripts/provision.sh): Docker, the network, the proxy.
   * Streams the steps to `onEvent`, ending with a `done` event; a failure throws the failed step's
   * UserError (INVALID_OPTION, NO_PRIVILEGE, DOCKER_NO_ACCESS, PORT_TAKEN, …).
   */
  provision(
    target: Target,
    input: ProxyInput,
    onEvent?: (event: ProvisionEvent) => void,
    signal?: AbortSignal,
    /** Paces the script's output to its reader. */
    flow?: Flow,
  ): Promise<ProvisionResult>
}

/** @param deps.prefix the default prefix (see ProxyOptions.prefix) when the input names none. */
export function createProvisioner(deps: { scripts: ScriptRunner; prefix?: string }): Provisioner {
  const { scripts } = deps
  const readState = async (target: Target, signal?: AbortSignal): Promise<ServerState> => {
    const { facts } = await scripts.call(
      target,
      'server.facts',
      { prefix: validatePrefix(deps.prefix ?? 'helvetia') },
      { signal },
    )
    return { facts: toServerFacts(facts), proxy: toServerProxy(facts, new Date()) }
  }
  return {
    ping: async (target, signal) => void (await scripts.call(target, 'server.ping', {}, { signal })),
    authorizeKey: (target, publicKey) => installPublicKey(scripts, target, publicKey),
    readState,
    readFacts: async (target, signal) => (await readState(target, signal)).facts,

    async provision(target, input, onEvent = () => {}, signal, flow) {
      const options = resolveProxyOptions({ prefix: deps.prefix, ...input })
      const outcome = await scripts.call(target, 'server.provision', provisionInput(options), {
        stdin: proxyConfig(options),
        onEvent: (event) => {
          const forwarded = toProvisionEvent(event)
          if (forwarded) onEvent(forwarded)
        },
        signal,
        flow,
      })
      const result = {
        changed: outcome.changed,
        facts: toServerFacts(outcome.facts),
        proxy: toServerProxy(outcome.facts, new Date()),
      }
      onEvent({ type: 'done', ...result })
      return result
    },
  }
}

function provisionInput(options: ProxyOptions): OperationInputs['server.provision'] {
  const { kind, image, httpPort, httpsPort, bind, prefix } = options
  return { proxy: kind, image, httpPort, httpsPort, bind, prefix }
}

/** The proxy's configuration file, which provision.sh reads from its standard input. */
export function proxyConfig(options: ProxyOptions): string {
  return options.kind === 'traefik' ? traefikYaml(options) : caddyfile(options)
}

function toProvisionEvent(event: ScriptEvent): ProvisionEvent | null {
  if (event.type === 'step') {
    return { type: 'step', step: event.step, status: event.status, message: event.message }
  }
  if (event.type === 'log') return { type: 'log', line: event.line }
  return null
}

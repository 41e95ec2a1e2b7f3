import type { RequestOptions } from 'node:http'
import type { Duplex } from 'node:stream'
import type { ScriptRunner } from '../remote/script-runner'
import type { Target } from '../targets/target'
import { RELAY_PORT } from './relay-install'

/** How relay-client opens its connections (node:http's `createConnection`). */
export type Connector = NonNullable<RequestOptions['createConnection']>

/**
 * Connections to the relay container on `target`, made from the server itself: an SSH channel of the
 * server's shared connection to the container's address on Helvetia's network, so the relay needs no
 * port of its own on the server. The address is looked up once and again after a failed connection
 * (the container got a new one when it was recreated).
 */
export function relayConnector(scripts: ScriptRunner, target: Target, prefix: string): Connector {
  let address: Promise<string> | null = null
  const lookUp = async () => (await scripts.call(target, 'relay.address', { prefix })).facts.address ?? ''
  const open = async (): Promise<Duplex> => {
    address ??= lookUp()
    const connection = await scripts.connect(target, await address, RELAY_PORT)
    return 'setKeepAlive' in connection ? connection : asSocket(connection)
  }
  return (_options, oncreate) => {
    open().then(
      (socket) => oncreate(null, socket),
      (error: Error) => {
        address = null
        oncreate(error, undefined as unknown as Duplex)
      },
    )
    return undefined
  }
}

/** node:http calls these socket methods on its connections; a channel has none of them. */
function asSocket(channel: Duplex): Duplex {
  const noop = () => channel
  return Object.assign(channel, {
    setKeepAlive: noop,
    setNoDelay: noop,
    setTimeout: noop,
    ref: noop,
    unref: noop,
  })
}

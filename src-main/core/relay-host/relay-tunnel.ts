import type { RequestOptions } from 'node:http'
import { connect } from 'node:net'
import type { Duplex } from 'node:stream'
import { sh } from '../shell/quote'
import type { Target } from '../targets/target'
import { RELAY_PORT, relayContainer } from './relay-install'

/** How relay-client opens its connections (node:http's `createConnection`). */
export type Connector = NonNullable<RequestOptions['createConnection']>

/**
 * Connections to the relay container on `target`, made from the server itself: an SSH channel of the
 * server's shared connection to the container's address on Helvetia's network, so the relay needs no
 * port of its own on the server. The address is looked up once and again after a failed connection
 * (the container got a new one when it was recreated).
 */
export function relayConnector(target: Target, prefix: string): Connector {
  let address: Promise<string> | null = null
  const lookUp = async () => {
    const format = `{{with index .NetworkSettings.Networks "${prefix}"}}{{.IPAddress}}{{end}}`
    const result = await target.exec(sh`docker inspect -f ${format} ${relayContainer(prefix)}`)
    const ip = result.stdout.trim()
    if (result.code !== 0 || !ip) {
      throw new Error(
        `the relay container is not running on the server (${result.stderr.trim() || 'no address'})`,
      )
    }
    return ip
  }
  const open = async (): Promise<Duplex> => {
    address ??= lookUp()
    const ip = await address
    if (!target.forwardOut) return connect(RELAY_PORT, ip)
    return asSocket(await target.forwardOut(ip, RELAY_PORT))
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

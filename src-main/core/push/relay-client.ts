import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { DeliveryRecord, DeliveryStatus, RelayEvent } from '../../../relay/relay-store.js'
import { UserError } from '../errors'
import { normalizeRelayUrl } from '../relay-host/relay-url'
import { lineSplitter } from '../remote/line-splitter'

export type { DeliveryRecord, DeliveryStatus, RelayEvent }

export interface RelayEndpoint {
  /** The relay's address, like https://relay.example.com or http://127.0.0.1:8787. */
  url: string
  token: string
  /**
   * Opens the connection instead of dialling `url`: where the relay runs on the user's server, an SSH
   * channel to its loopback port (ssh2's forwardOut), so it needs no public port.
   */
  createConnection?: RequestOptions['createConnection']
}

/** A line of the relay's event stream. */
export type StreamLine = { type: 'hello' } | { type: 'heartbeat' } | ({ type: 'event' } & RelayEvent)

export interface Registration {
  app: string
  branch: string | null
  serverSide: boolean
  hookId: string
  /** Where GitHub posts. */
  url: string
  /** The webhook secret GitHub signs with. */
  secret: string
}

const CALL_TIMEOUT_MS = 30_000

/** The relay's API as Helvetia uses it: registration, the delivery log, the event stream, acks and reports. */
export function relayClient(endpoint: RelayEndpoint) {
  const base = new URL(normalizeRelayUrl(endpoint.url))

  const open = (method: string, path: string, body?: unknown, signal?: AbortSignal) =>
    new Promise<IncomingMessage>((resolve, reject) => {
      const request = base.protocol === 'https:' ? httpsRequest : httpRequest
      const req = request(
        {
          protocol: base.protocol,
          hostname: base.hostname,
          port: base.port,
          path: `${base.pathname.replace(/\/$/, '')}${path}`,
          method,
          headers: {
            authorization: `Bearer ${endpoint.token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          signal,
          createConnection: endpoint.createConnection,
        },
        resolve,
      )
      req.on('error', (error) => reject(signal?.aborted ? error : unreachable(base, error)))
      req.end(body === undefined ? undefined : JSON.stringify(body))
    })

  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const signal = AbortSignal.timeout(CALL_TIMEOUT_MS)
    const res = await open(method, path, body, signal).catch((error: unknown) => {
      throw signal.aborted ? unreachable(base, new Error('no answer in 30 s')) : error
    })
    const chunks: Buffer[] = []
    for await (const chunk of res) chunks.push(chunk as Buffer)
    const text = Buffer.concat(chunks).toString('utf8')
    const json = (text ? JSON.parse(text) : {}) as T & { error?: string }
    if ((res.statusCode ?? 0) >= 300) throw refused(base, res.statusCode ?? 0, json.error)
    return json
  }

  return {
    url: base.href.replace(/\/$/, ''),

    /**
     * Registers the app (again: a new hook and secret replace the old ones). A server-side app is
     * deployed by the relay's own server (relay/spool.js) and its events never reach subscribers.
     */
    register: (app: string, branch: string | null, serverSide = false) =>
      call<Registration>('POST', '/v1/apps', { app, branch, serverSide }),

    deliveries: async (app: string) =>
      (await call<{ deliveries: DeliveryRecord[] }>('GET', `/v1/apps/${encodeURIComponent(app)}/deliveries`))
        .deliveries,

    /** Records what Helvetia did with an accepted delivery. */
    report: async (delivery: string, status: DeliveryStatus, detail?: string): Promise<void> =>
      void (await call('POST', `/v1/deliveries/${encodeURIComponent(delivery)}/status`, { status, detail })),

    /** The relay deletes an acknowledged event; an unacknowledged one comes again on the next stream. */
    ack: async (seq: number): Promise<void> => void (await call('POST', '/v1/ack', { seq })),

    /**
     * The event stream: every unacknowledged event after `after`, then new ones, as they come. Ends
     * with an error when the connection drops, the relay closes it or no line (heartbeats included)
     * arrives for `idleMs` while the caller waits for one.
     */
    async *events(after: number, options: { signal?: AbortSignal; idleMs?: number } = {}) {
      const res = await open('GET', `/v1/events?after=${after}`, undefined, options.signal)
      if (res.statusCode !== 200) {
        res.resume()
        throw refused(base, res.statusCode ?? 0, res.statusMessage)
      }
      const idleMs = options.idleMs ?? 45_000
      let watchdog: NodeJS.Timeout | undefined
      const arm = () => {
        watchdog = setTimeout(
          () => res.destroy(new Error(`the relay sent nothing for ${idleMs / 1000} s`)),
          idleMs,
        )
      }
      const lines: string[] = []
      const splitter = lineSplitter((line) => line && lines.push(line))
      try {
        arm()
        for await (const chunk of res) {
          clearTimeout(watchdog)
          splitter.write(chunk as Buffer)
          // The caller may take minutes over an event (a deploy): the watchdog waits only for the relay.
          for (let line = lines.shift(); line !== undefined; line = lines.shift())
            yield JSON.parse(line) as StreamLine
          arm()
        }
        throw new Error('the relay closed the event stream')
      } finally {
        clearTimeout(watchdog)
        res.destroy()
      }
    },
  }
}

export type RelayClient = ReturnType<typeof relayClient>

function unreachable(base: URL, error: Error): UserError {
  return new UserError(
    'RELAY_UNREACHABLE',
    `Cannot reach the relay at ${base.origin}: ${error.message}`,
    'Check the address, and that `helvetia relay serve` runs there.',
  )
}

function refused(base: URL, status: number, message?: string): UserError {
  if (status === 401) {
    return new UserError(
      'RELAY_TOKEN_REFUSED',
      `The relay at ${base.origin} refused the token.`,
      'Pass the token `helvetia relay serve` printed, with --relay-token-file FILE or --relay-token-stdin.',
    )
  }
  return new UserError(
    'RELAY_ERROR',
    `The relay at ${base.origin} answered ${status}: ${message ?? 'no reason given'}`,
    'Check that the relay and Helvetia are up to date.',
  )
}

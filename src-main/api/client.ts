import type { CallMethod, InputOf, ItemOf, OutputOf, StreamMethod } from './contract'
import { ApiError, type ClientMessage, type HostMessage, type Port } from './wire'

export interface Subscription {
  /** Stops the stream; the host ends its producer. */
  cancel(): void
  /** Settles when the stream ends: resolves on a normal end or cancel, rejects on a host error. */
  readonly done: Promise<void>
}

export interface SubscribeOptions {
  /** Items the client is ready to hold before the host must wait for acknowledgements. */
  credit?: number
}

export interface ApiClient {
  call<M extends CallMethod>(method: M, ...input: OptionalInput<M>): Promise<OutputOf<M>>
  /**
   * Receives a stream's items. The next items are acknowledged only once `onItem` has returned (or
   * its promise has settled), so a slow consumer slows the producer instead of piling up items.
   */
  subscribe<M extends StreamMethod>(
    method: M,
    input: InputOf<M>,
    onItem: (item: ItemOf<M>) => void | Promise<void>,
    options?: SubscribeOptions,
  ): Subscription
  /** Rejects every pending call and ends every stream, e.g. when the connection closed. */
  close(reason?: string): void
}

type OptionalInput<M extends CallMethod> = InputOf<M> extends void ? [input?: undefined] : [input: InputOf<M>]

interface PendingStream {
  onItem: (item: unknown) => void | Promise<void>
  credit: number
  consumed: number
  queue: Promise<void>
  settle: (error?: Error) => void
}

const DEFAULT_CREDIT = 64

export function createApiClient(port: Port<HostMessage, ClientMessage>): ApiClient {
  let nextId = 1
  let closedReason: string | null = null
  const calls = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>()
  const streams = new Map<number, PendingStream>()

  port.onMessage((message) => {
    switch (message.t) {
      case 'res': {
        const pending = calls.get(message.id)
        if (!pending) return
        calls.delete(message.id)
        if (message.error) pending.reject(new ApiError(message.error))
        else pending.resolve(message.result)
        return
      }
      case 'item': {
        const stream = streams.get(message.id)
        if (!stream) return
        stream.queue = stream.queue.then(async () => {
          if (!streams.has(message.id)) return
          await stream.onItem(message.item)
          // Return credit in batches of half the window: fewer messages, and the producer never stalls.
          if (++stream.consumed >= Math.ceil(stream.credit / 2)) {
            port.send({ t: 'ack', id: message.id, n: stream.consumed })
            stream.consumed = 0
          }
        })
        stream.queue.catch((error: unknown) => {
          port.send({ t: 'cancel', id: message.id })
          stream.settle(error instanceof Error ? error : new Error(String(error)))
        })
        return
      }
      case 'end': {
        const stream = streams.get(message.id)
        if (!stream) return
        void stream.queue.then(() => stream.settle(message.error ? new ApiError(message.error) : undefined))
        return
      }
    }
  })

  const close = (reason = 'The connection to Helvetia closed'): void => {
    closedReason = reason
    for (const [id, pending] of calls) {
      calls.delete(id)
      pending.reject(new Error(reason))
    }
    for (const stream of streams.values()) stream.settle(new Error(reason))
  }
  port.onClose(() => close())

  return {
    call(method, ...[input]) {
      if (closedReason) return Promise.reject(new Error(closedReason))
      const id = nextId++
      return new Promise((resolve, reject) => {
        calls.set(id, { resolve: resolve as (value: unknown) => void, reject })
        port.send({ t: 'call', id, method, input })
      })
    },
    subscribe(method, input, onItem, options = {}) {
      const id = nextId++
      const credit = options.credit ?? DEFAULT_CREDIT
      let settle!: (error?: Error) => void
      const done = new Promise<void>((resolve, reject) => {
        settle = (error) => {
          if (!streams.delete(id)) return
          if (error) reject(error)
          else resolve()
        }
      })
      streams.set(id, {
        onItem: onItem as (item: unknown) => void | Promise<void>,
        credit,
        consumed: 0,
        queue: Promise.resolve(),
        settle,
      })
      if (closedReason) settle(new Error(closedReason))
      else port.send({ t: 'sub', id, method, input, credit })
      return {
        done,
        cancel() {
          if (!streams.has(id)) return
          port.send({ t: 'cancel', id })
          settle()
        },
      }
    },
    close,
  }
}

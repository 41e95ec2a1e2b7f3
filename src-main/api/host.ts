import { contract, isMethod, type ApiHandlers, type Method } from './contract'
import { inputError } from './input-error'
import { encodeError, isClientMessage, type ClientMessage, type HostMessage, type Port } from './wire'

/** Most credit a client may hold for one stream: bounds what a client can make the host buffer. */
const MAX_CREDIT = 10_000

interface ActiveStream {
  abort: AbortController
  credit: number
  wake: (() => void) | null
}

/**
 * The input checked against the method's schema (INVALID_INPUT with the field otherwise): every face
 * reaches the handlers through here, so every face gets the same checks.
 */
function checkedInput(method: Method, input: unknown): unknown {
  const result = contract[method].input.safeParse(input)
  if (!result.success) throw inputError(method, result.error)
  return result.data
}

/** A method the contract does not have, or not of the kind asked for. */
const unknownMethod = (what: string, method: string) =>
  Object.assign(new Error(`Unknown API ${what}: ${method}`), { code: 'UNKNOWN_METHOD' })

/**
 * Serves the API to one connected client. Every message is checked before use: the client may be a
 * browser tab reached over the network. Returns a function that ends every stream of this client.
 */
export function serveApi(port: Port<unknown, HostMessage>, handlers: ApiHandlers): () => void {
  const streams = new Map<number, ActiveStream>()
  let closed = false

  const send = (message: HostMessage): void => {
    if (!closed) port.send(message)
  }

  const onCall = async (id: number, method: string, input: unknown): Promise<void> => {
    try {
      if (!isMethod(method) || contract[method].kind !== 'call') throw unknownMethod('method', method)
      const handler = handlers[method] as (input: unknown) => Promise<unknown>
      send({ t: 'res', id, result: await handler(checkedInput(method, input)) })
    } catch (error) {
      send({ t: 'res', id, error: encodeError(error) })
    }
  }

  const onSubscribe = async (id: number, method: string, input: unknown, credit: number): Promise<void> => {
    if (streams.has(id))
      return send({ t: 'end', id, error: encodeError(new Error(`Stream ${id} is already open`)) })
    const stream: ActiveStream = {
      abort: new AbortController(),
      credit: Math.min(credit, MAX_CREDIT),
      wake: null,
    }
    streams.set(id, stream)
    const { signal } = stream.abort
    try {
      if (!isMethod(method) || contract[method].kind !== 'stream') throw unknownMethod('stream', method)
      const handler = handlers[method] as (input: unknown, signal: AbortSignal) => AsyncIterable<unknown>
      const iterator = handler(checkedInput(method, input), signal)[Symbol.asyncIterator]()
      signal.addEventListener('abort', () => void iterator.return?.(), { once: true })
      while (!signal.aborted) {
        while (stream.credit === 0 && !signal.aborted)
          await new Promise<void>((resolve) => (stream.wake = resolve))
        if (signal.aborted) break
        const next = await iterator.next()
        if (next.done || signal.aborted) break
        stream.credit--
        send({ t: 'item', id, item: next.value })
      }
      if (!signal.aborted) send({ t: 'end', id })
    } catch (error) {
      if (!signal.aborted) send({ t: 'end', id, error: encodeError(error) })
    } finally {
      streams.delete(id)
    }
  }

  const stop = (id: number): void => {
    const stream = streams.get(id)
    if (!stream) return
    stream.abort.abort()
    stream.wake?.()
  }

  const onMessage = (raw: unknown): void => {
    if (!isClientMessage(raw)) return
    const message: ClientMessage = raw
    switch (message.t) {
      case 'call':
        void onCall(message.id, message.method, message.input)
        break
      case 'sub':
        void onSubscribe(message.id, message.method, message.input, message.credit)
        break
      case 'ack': {
        const stream = streams.get(message.id)
        if (!stream) break
        stream.credit = Math.min(stream.credit + message.n, MAX_CREDIT)
        stream.wake?.()
        stream.wake = null
        break
      }
      case 'cancel':
        stop(message.id)
        break
    }
  }

  const dispose = (): void => {
    closed = true
    for (const id of [...streams.keys()]) stop(id)
    offMessage()
    offClose()
  }
  const offMessage = port.onMessage(onMessage)
  const offClose = port.onClose(dispose)
  return dispose
}

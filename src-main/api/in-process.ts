import { createApiClient, type ApiClient } from './client'
import type { ApiHandlers } from './contract'
import { serveApi } from './host'
import type { ClientMessage, HostMessage, Port } from './wire'

export interface InProcessApi {
  client: ApiClient
  /** Ends the connection: the host stops every stream, the client rejects what is pending. */
  close(): void
}

/**
 * The API served to a client in this same process (the CLI), through the host and client the
 * desktop's IPC and the web mode's WebSocket use: the same handlers, checks and back-pressure. Each
 * message is copied and delivered on a later microtask, as a real channel would, so neither side
 * shares objects with the other or runs inside the other's send.
 */
export function connectInProcess(handlers: ApiHandlers): InProcessApi {
  const [hostEnd, clientEnd, close] = portPair<ClientMessage, HostMessage>()
  serveApi(hostEnd, handlers)
  return { client: createApiClient(clientEnd), close }
}

/** Two connected ends of a message channel, and a function that closes both. */
function portPair<A, B>(): [Port<A, B>, Port<B, A>, () => void] {
  let open = true
  const closeListeners = new Set<() => void>()
  const end = <In, Out>(inbox: Set<(message: In) => void>, outbox: Set<(message: Out) => void>) => ({
    send(message: Out): void {
      if (!open) return
      const copy = structuredClone(message)
      queueMicrotask(() => {
        if (open) for (const listener of outbox) listener(copy)
      })
    },
    onMessage(listener: (message: In) => void): () => void {
      inbox.add(listener)
      return () => inbox.delete(listener)
    },
    onClose(listener: () => void): () => void {
      closeListeners.add(listener)
      return () => closeListeners.delete(listener)
    },
  })
  const toA = new Set<(message: A) => void>()
  const toB = new Set<(message: B) => void>()
  const close = (): void => {
    if (!open) return
    open = false
    for (const listener of [...closeListeners]) listener()
  }
  return [end<A, B>(toA, toB), end<B, A>(toB, toA), close]
}

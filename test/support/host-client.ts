import { createApiClient, type ApiClient } from '../../src-main/api/client'
import type { ApiHandlers } from '../../src-main/api/contract'
import { serveApi } from '../../src-main/api/host'
import type { ClientMessage, HostMessage, Port } from '../../src-main/api/wire'

/**
 * A client of `handlers` through the API host, as every face reaches them (input schemas checked,
 * errors encoded and rebuilt): messages are copied and delivered later, as over IPC or a WebSocket.
 */
export function hostClient(handlers: ApiHandlers): ApiClient {
  const toHost = new Set<(message: unknown) => void>()
  const toClient = new Set<(message: HostMessage) => void>()
  const end = <In, Out>(inbox: Set<(m: In) => void>, outbox: Set<(m: Out) => void>): Port<In, Out> => ({
    send: (message) => {
      const copy = structuredClone(message)
      setImmediate(() => outbox.forEach((listener) => listener(copy)))
    },
    onMessage: (listener) => (inbox.add(listener), () => inbox.delete(listener)),
    onClose: () => () => {},
  })
  serveApi(end<unknown, HostMessage>(toHost, toClient), handlers)
  return createApiClient(end<HostMessage, ClientMessage>(toClient, toHost as Set<(m: ClientMessage) => void>))
}

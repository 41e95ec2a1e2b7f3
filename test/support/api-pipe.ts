import { EventEmitter } from 'node:events'
import type { ClientMessage, HostMessage, Port } from '../../src-main/api/wire'

/** Two ends of an in-process channel that, like IPC and WebSockets, delivers asynchronously and copies. */
export function pipe() {
  const a = new EventEmitter()
  const b = new EventEmitter()
  const sent: ClientMessage[] = []
  const end = <In, Out>(self: EventEmitter, other: EventEmitter, log?: Out[]): Port<In, Out> => ({
    send: (message) => {
      log?.push(message)
      const copy = structuredClone(message)
      setImmediate(() => other.emit('message', copy))
    },
    onMessage: (listener) => {
      self.on('message', listener)
      return () => self.off('message', listener)
    },
    onClose: (listener) => {
      self.on('close', listener)
      return () => self.off('close', listener)
    },
  })
  return {
    client: end<HostMessage, ClientMessage>(a, b, sent),
    host: end<unknown, HostMessage>(b, a),
    sent,
    closeHost: () => b.emit('close'),
  }
}

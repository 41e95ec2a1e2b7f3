import { createApiClient, type ApiClient } from '../../src-main/api/client'
import {
  TOKEN_PROTOCOL_PREFIX,
  type ClientMessage,
  type HostMessage,
  type Port,
} from '../../src-main/api/wire'

interface Bridge {
  send(message: ClientMessage): void
  onMessage(listener: (message: HostMessage) => void): () => void
}

declare global {
  interface Window {
    /** Present in the desktop app: the preload's bridge. Absent in a browser (headless web mode). */
    helvetia?: Bridge
  }
}

const TOKEN_KEY = 'helvetia.token'

/**
 * The same renderer runs in the desktop window (over the preload's IPC bridge) and in any browser
 * (over the headless mode's WebSocket); only this function knows which.
 */
export async function connect(): Promise<ApiClient> {
  if (window.helvetia) return createApiClient(bridgePort(window.helvetia))
  return createApiClient(await webSocketPort(takeToken()))
}

function bridgePort(bridge: Bridge): Port<HostMessage, ClientMessage> {
  return {
    send: (message) => bridge.send(message),
    onMessage: (listener) => bridge.onMessage(listener),
    onClose: () => () => {},
  }
}

/** The token arrives in the URL fragment once; keep it for reloads of this tab and drop it from the URL. */
function takeToken(): string {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token')
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash)
    history.replaceState(null, '', location.pathname + location.search)
  }
  const token = sessionStorage.getItem(TOKEN_KEY)
  if (!token) throw new Error('Open the address that `helvetia ui` printed: it carries the access token.')
  return token
}

function webSocketPort(token: string): Promise<Port<HostMessage, ClientMessage>> {
  const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/api`, [TOKEN_PROTOCOL_PREFIX + token])
  return new Promise((resolve, reject) => {
    ws.addEventListener('error', () => {
      sessionStorage.removeItem(TOKEN_KEY)
      reject(
        new Error(
          'Could not reach Helvetia: is `helvetia ui` still running, and was its address opened as printed?',
        ),
      )
    })
    ws.addEventListener('open', () =>
      resolve({
        send: (message) => ws.send(JSON.stringify(message)),
        onMessage: (listener) => {
          const handler = (event: MessageEvent<string>): void =>
            listener(JSON.parse(event.data) as HostMessage)
          ws.addEventListener('message', handler)
          return () => ws.removeEventListener('message', handler)
        },
        onClose: (listener) => {
          ws.addEventListener('close', listener)
          return () => ws.removeEventListener('close', listener)
        },
      }),
    )
  })
}

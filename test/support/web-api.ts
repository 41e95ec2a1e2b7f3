import type { TestContext } from 'node:test'
import WebSocket from 'ws'
import { createApiClient, type ApiClient } from '../../src-main/api/client'
import { TOKEN_PROTOCOL_PREFIX, type HostMessage } from '../../src-main/api/wire'

/**
 * The API of a running web mode (`helvetia ui`, startWebServer) as the browser page speaks it: a
 * WebSocket to /api with the token as subprotocol and the page's origin. Closed after the test.
 */
export async function apiOverWebSocket(
  t: TestContext,
  web: { url: string; token: string },
): Promise<ApiClient> {
  const ws = new WebSocket(`${web.url.replace('http', 'ws')}api`, [TOKEN_PROTOCOL_PREFIX + web.token], {
    headers: { Origin: web.url.replace(/\/$/, '') },
  })
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
  t.after(() => ws.close())
  return createApiClient({
    send: (message) => ws.send(JSON.stringify(message)),
    onMessage: (listener) => {
      const handler = (data: Buffer): void => listener(JSON.parse(data.toString()) as HostMessage)
      ws.on('message', handler)
      return () => ws.off('message', handler)
    },
    onClose: (listener) => (ws.on('close', listener), () => ws.off('close', listener)),
  })
}

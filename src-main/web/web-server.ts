import { randomBytes, timingSafeEqual, X509Certificate } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, sep } from 'node:path'
import type { WebSocket } from 'ws'
import type { ApiHandlers } from '../api/contract'
import { serveApi } from '../api/host'
import { TOKEN_PROTOCOL_PREFIX, type HostMessage, type Port } from '../api/wire'
import { CONTENT_SECURITY_POLICY } from './csp'
import { assertSafeBind, isOwnHost, type Listening } from './web-access'

export interface WebServerOptions {
  api: ApiHandlers
  /** The built renderer (out/renderer). */
  root: string
  host?: string
  port?: number
  /** Fixed token (tests); random otherwise. */
  token?: string
  /** Serve over HTTPS with this certificate (PEM, may be a chain) and its key (PEM). */
  tls?: { cert: string | Buffer; key: string | Buffer }
  /** Allows plain HTTP on a non-loopback address; the page then says so. */
  insecure?: boolean
}

export interface WebServer {
  url: string
  /** The URL with the token, to open in a browser. The token rides in the fragment, never sent in requests. */
  openUrl: string
  token: string
  close(): Promise<void>
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
}

/**
 * The headless web mode: serves the renderer and the API over a WebSocket. Bound to 127.0.0.1 unless
 * told otherwise, and to another address only over TLS (or when told `insecure`). Every request must
 * name this server in its Host header (no DNS rebinding); every WebSocket must present the token and
 * come from the page this server served.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? '127.0.0.1'
  const { tls, insecure = false } = options
  assertSafeBind(host, { tls: tls !== undefined, insecure })
  const scheme = tls ? 'https' : 'http'
  const token = options.token ?? randomBytes(24).toString('hex')
  const expected = Buffer.from(TOKEN_PROTOCOL_PREFIX + token)
  const listening: Listening = { host, port: 0, certificate: tls ? new X509Certificate(tls.cert) : null }
  const api = insecure ? withInsecureInfo(options.api) : options.api

  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    if (!isOwnHost(req.headers.host, listening)) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end(MISDIRECTED)
      return
    }
    void serveStatic(options.root, req, res)
  }
  const http = tls ? createTlsServer({ cert: tls.cert, key: tls.key }, serve) : createServer(serve)
  // Loaded here, not at start-up: every other CLI command would pay for it.
  const { WebSocketServer } = await import('ws')
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 1024 * 1024,
    handleProtocols: (protocols) => [...protocols].find((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX)) ?? false,
  })

  http.on('upgrade', (req, socket, head) => {
    const offered = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => Buffer.from(p.trim()))
    const tokenOk = offered.some((p) => p.length === expected.length && timingSafeEqual(p, expected))
    if (!isOwnHost(req.headers.host, listening)) {
      socket.end(`HTTP/1.1 421 Misdirected Request\r\nConnection: close\r\n\r\n${MISDIRECTED}`)
      return
    }
    const originOk = req.headers.origin === `${scheme}://${req.headers.host}`
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/api' || !tokenOk || !originOk) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveApi(webSocketPort(ws), api))
  })

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen(options.port ?? 0, host, resolve)
  })
  const { port } = http.address() as AddressInfo
  listening.port = port
  const url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}/`
  return {
    url,
    openUrl: `${url}#token=${token}`,
    token,
    close: async () => {
      for (const client of wss.clients) client.terminate()
      wss.close()
      await new Promise<void>((resolve) => http.close(() => resolve()))
    },
  }
}

const MISDIRECTED = 'This server answers only to the address `helvetia ui` printed.\n'

/** The page learns that it is served over plain HTTP on purpose (`--insecure`), and shows it. */
function withInsecureInfo(api: ApiHandlers): ApiHandlers {
  return { ...api, 'app:info': async (input) => ({ ...(await api['app:info'](input)), insecure: true }) }
}

function webSocketPort(ws: WebSocket): Port<unknown, HostMessage> {
  return {
    send: (message) => ws.send(JSON.stringify(message)),
    onMessage: (listener) => {
      const handler = (data: Buffer, isBinary: boolean): void => {
        if (isBinary) return
        try {
          listener(JSON.parse(data.toString('utf8')))
        } catch {
          ws.close(1003, 'Invalid message')
        }
      }
      ws.on('message', handler)
      return () => ws.off('message', handler)
    },
    onClose: (listener) => {
      ws.on('close', listener)
      return () => ws.off('close', listener)
    },
  }
}

async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY)
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('Referrer-Policy', 'no-referrer')
  res.setHeader('X-Frame-Options', 'DENY')
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405).end()
    return
  }
  let pathname: string
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
  } catch {
    res.writeHead(400).end()
    return
  }
  const candidate = normalize(join(root, pathname))
  if (candidate !== root && !candidate.startsWith(root.endsWith(sep) ? root : root + sep)) {
    res.writeHead(404).end()
    return
  }
  // Unknown paths get the app shell, so a reload on a deep link still works.
  const file = (await isFile(candidate)) ? candidate : join(root, 'index.html')
  if (!(await isFile(file))) {
    res
      .writeHead(503, { 'Content-Type': 'text/plain' })
      .end('The renderer is not built: run `npm run build`.\n')
    return
  }
  res.writeHead(200, {
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Cache-Control': file.endsWith('index.html') ? 'no-store' : 'public, max-age=31536000, immutable',
  })
  if (req.method === 'HEAD') res.end()
  else createReadStream(file).pipe(res)
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}

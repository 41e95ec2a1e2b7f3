import { net, protocol, session } from 'electron'
import { join, normalize, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import { CONTENT_SECURITY_POLICY } from '../web/csp'
import { APP_ORIGIN, APP_SCHEME as SCHEME, isOwnPage } from './page-guards'

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true } }])
}

/**
 * Serves the built renderer from our own scheme (not file://), so the CSP is a real response header
 * and no other local file is reachable from the page.
 */
export function registerAppProtocol(): void {
  const root = join(import.meta.dirname, '../renderer')
  protocol.handle(SCHEME, async (request) => {
    // Only our page's host: helvetia://anything-else is another origin and gets nothing.
    if (!isOwnPage(request.url, APP_ORIGIN)) return new Response('Not found', { status: 404 })
    const path = normalize(join(root, decodeURIComponent(new URL(request.url).pathname)))
    if (!path.startsWith(root + sep)) return new Response('Not found', { status: 404 })
    const response = await net.fetch(pathToFileURL(path).toString())
    const headers = new Headers(response.headers)
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    headers.set('X-Content-Type-Options', 'nosniff')
    return new Response(response.body, { status: response.status, headers })
  })
  // The dev server's pages get the same policy.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    })
  })
  // The app asks for no device or notification permission; refuse them all.
  session.defaultSession.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false))
}

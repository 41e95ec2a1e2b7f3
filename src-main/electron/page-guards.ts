/**
 * What the window may show and whom the IPC channel answers, as plain functions of what they need
 * (no `electron` import): the unit tests drive this very code with stand-in objects.
 *
 * Origins are compared by scheme and host, never by `URL.origin`: that is the string `'null'` for our
 * own `helvetia:` scheme and for `file:`, `data:`, `about:` and `blob:` alike, so comparing it would
 * let any of those pass as our page.
 */

/** Our page's scheme (with its colon, as `URL.protocol` has it) and host (with a port, if any). */
export interface PageOrigin {
  scheme: string
  host: string
}

export const APP_SCHEME = 'helvetia'
/** Where the packaged renderer is served (app-protocol.ts). */
export const APP_ORIGIN: PageOrigin = { scheme: `${APP_SCHEME}:`, host: 'app' }

/**
 * The one URL the window shows: the dev server's while developing (`ELECTRON_RENDERER_URL`, set by
 * electron-vite), our own scheme otherwise. A packaged app ignores the variable: anything that can set
 * the environment of the user's app must not be able to point it, with the core behind it, at a page
 * of its choosing.
 */
export function rendererPage(
  isPackaged: boolean,
  env: NodeJS.ProcessEnv,
): { url: string; origin: PageOrigin } {
  const dev = isPackaged ? undefined : env.ELECTRON_RENDERER_URL
  if (!dev) return { url: `${APP_SCHEME}://${APP_ORIGIN.host}/index.html`, origin: APP_ORIGIN }
  const parsed = new URL(dev)
  return { url: dev, origin: { scheme: parsed.protocol, host: parsed.host } }
}

/** Whether `url` is on our page's origin: same scheme and same non-empty host, exactly. */
export function isOwnPage(url: string, origin: PageOrigin): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  return parsed.host !== '' && parsed.protocol === origin.scheme && parsed.host === origin.host
}

/** Links leave the app only to the user's browser, and only over https. */
export function isExternalLink(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:'
  } catch {
    return false
  }
}

/** The parts of an IPC event that say who sent it. */
export interface IpcSender {
  sender: unknown
  senderFrame: { url: string } | null
}

/**
 * Whether an IPC message comes from `contents`' own main frame showing our page: a navigated or
 * embedded frame, or another window, cannot reach the core.
 */
export function isFromOwnPage(
  event: IpcSender,
  contents: { mainFrame: unknown },
  origin: PageOrigin,
): boolean {
  const frame = event.senderFrame
  return (
    event.sender === contents &&
    frame !== null &&
    frame === contents.mainFrame &&
    isOwnPage(frame.url, origin)
  )
}

import { BrowserWindow, shell } from 'electron'
import { join } from 'node:path'
import { APP_ORIGIN } from './app-protocol'

/** The one URL the window may show: the dev server while developing, our own scheme otherwise. */
export const rendererUrl = (): string => process.env.ELECTRON_RENDERER_URL ?? `${APP_ORIGIN}/index.html`

export function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 390,
    show: false,
    title: 'Helvetia',
    backgroundColor: '#0a0d14',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      spellcheck: false,
    },
  })
  const origin = new URL(rendererUrl()).origin
  // The window never navigates away from the app; links open in the user's browser, https only.
  window.webContents.on('will-navigate', (event, url) => {
    if (new URL(url).origin !== origin) event.preventDefault()
  })
  window.webContents.on('will-attach-webview', (event) => event.preventDefault())
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (new URL(url).protocol === 'https:') void shell.openExternal(url)
    return { action: 'deny' }
  })
  window.once('ready-to-show', () => window.show())
  void window.loadURL(rendererUrl())
  return window
}

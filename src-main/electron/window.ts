import { BrowserWindow, shell } from 'electron'
import { join } from 'node:path'
import { isExternalLink, isOwnPage, type PageOrigin } from './page-guards'

/** The main window, showing `page` (see rendererPage) and nothing else. */
export function createMainWindow(page: { url: string; origin: PageOrigin }): BrowserWindow {
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
  // The window never navigates away from the app; links open in the user's browser, https only.
  const stayOnPage = (event: { preventDefault(): void }, url: string): void => {
    if (!isOwnPage(url, page.origin)) event.preventDefault()
  }
  window.webContents.on('will-navigate', stayOnPage)
  window.webContents.on('will-redirect', stayOnPage)
  window.webContents.on('will-attach-webview', (event) => event.preventDefault())
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  window.once('ready-to-show', () => window.show())
  void window.loadURL(page.url)
  return window
}

/**
 * The Electron main process: thin glue between the window and the core. Everything that does work
 * lives in ../core and is shared with the CLI and the headless web mode.
 */
import { app, BrowserWindow } from 'electron'
import { createCore } from '../core/create-core'
import { resolveHome } from '../core/home'
import { createKeytarVault } from '../core/vault/vault'
import { serveApiOverIpc } from './ipc'
import { registerAppProtocol, registerAppScheme } from './app-protocol'
import { rendererPage } from './page-guards'
import { createMainWindow } from './window'

// Refuse a second instance: two processes writing one database and one keychain would race.
if (!app.requestSingleInstanceLock()) app.quit()

registerAppScheme()
app.enableSandbox()

app.whenReady().then(() => {
  const core = createCore({
    home: resolveHome(),
    appRoot: app.getAppPath(),
    vault: createKeytarVault(),
    face: 'desktop',
  })
  core.startBackground()
  registerAppProtocol()
  const page = rendererPage(app.isPackaged, process.env)
  const open = (): void => {
    const window = createMainWindow(page)
    serveApiOverIpc(window, page.origin, core.api)
  }
  open()
  app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && open())
  app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus())
  app.on('window-all-closed', () => process.platform !== 'darwin' && app.quit())
  app.on('will-quit', () => core.close())
})

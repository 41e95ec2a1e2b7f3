import { ipcMain, type BrowserWindow, type IpcMainEvent } from 'electron'
import type { ApiHandlers } from '../api/contract'
import { serveApi } from '../api/host'
import { WIRE_CHANNEL, type HostMessage, type Port } from '../api/wire'
import { isFromOwnPage, type PageOrigin } from './page-guards'

/**
 * Serves the API to one window over IPC. Messages are accepted only from that window's own main
 * frame showing our own page: a navigated or embedded frame cannot reach the core.
 */
export function serveApiOverIpc(window: BrowserWindow, origin: PageOrigin, api: ApiHandlers): void {
  const contents = window.webContents
  const listeners = new Set<(message: unknown) => void>()
  const onWire = (event: IpcMainEvent, message: unknown): void => {
    if (!isFromOwnPage(event, contents, origin)) return
    for (const listener of listeners) listener(message)
  }
  ipcMain.on(WIRE_CHANNEL, onWire)

  const port: Port<unknown, HostMessage> = {
    send: (message) => {
      if (!contents.isDestroyed()) contents.send(WIRE_CHANNEL, message)
    },
    onMessage: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    onClose: (listener) => {
      const handler = (): void => listener()
      // A reload starts a new page: its old streams must end too.
      contents.on('did-start-navigation', handler)
      contents.once('destroyed', handler)
      return () => contents.off('did-start-navigation', handler)
    },
  }
  let dispose = serveApi(port, api)
  contents.on('did-finish-load', () => {
    dispose()
    dispose = serveApi(port, api)
  })
  contents.once('destroyed', () => {
    dispose()
    ipcMain.off(WIRE_CHANNEL, onWire)
  })
}

import { ipcMain, type BrowserWindow, type IpcMainEvent } from 'electron'
import type { ApiHandlers } from '../api/contract'
import { serveApi } from '../api/host'
import { WIRE_CHANNEL, type HostMessage, type Port } from '../api/wire'
import { rendererUrl } from './window'

/**
 * Serves the API to one window over IPC. Messages are accepted only from that window's own main
 * frame showing our own page: a navigated or embedded frame cannot reach the core.
 */
export function serveApiOverIpc(window: BrowserWindow, api: ApiHandlers): void {
  const contents = window.webContents
  const origin = new URL(rendererUrl()).origin
  const listeners = new Set<(message: unknown) => void>()
  const fromOurPage = (event: IpcMainEvent): boolean => {
    const frame = event.senderFrame
    return (
      event.sender === contents &&
      frame !== null &&
      frame === contents.mainFrame &&
      new URL(frame.url).origin === origin
    )
  }
  const onWire = (event: IpcMainEvent, message: unknown): void => {
    if (!fromOurPage(event)) return
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

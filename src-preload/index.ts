/**
 * The preload: exposes only the wire protocol of the shared API, never ipcRenderer itself. Every
 * outgoing message is checked against the contract before it leaves the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { isMethod } from '../src-main/api/contract'
import { isClientMessage, WIRE_CHANNEL, type HostMessage } from '../src-main/api/wire'

const bridge = {
  send(message: unknown): void {
    if (!isClientMessage(message)) throw new TypeError('Not a Helvetia API message')
    if ((message.t === 'call' || message.t === 'sub') && !isMethod(message.method)) {
      throw new TypeError(`Unknown Helvetia API method: ${message.method}`)
    }
    ipcRenderer.send(WIRE_CHANNEL, message)
  },
  onMessage(listener: (message: HostMessage) => void): () => void {
    // The IPC event stays here: the page gets the message only.
    const handler = (_event: IpcRendererEvent, message: HostMessage): void => listener(message)
    ipcRenderer.on(WIRE_CHANNEL, handler)
    return () => ipcRenderer.off(WIRE_CHANNEL, handler)
  },
}

export type HelvetiaBridge = typeof bridge

contextBridge.exposeInMainWorld('helvetia', bridge)

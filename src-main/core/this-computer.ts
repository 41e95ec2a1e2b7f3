import type { AppInfo } from '../api/contract'
import { UserError } from './errors'

/** The one switch that lets the headless web mode reach this computer (see `localGate`). */
export const WEB_LOCAL_ENV = 'HELVETIA_WEB_LOCAL'
/** Its first name, from when it covered terminals only: still honoured. */
export const WEB_LOCAL_TERMINAL_ENV = 'HELVETIA_WEB_LOCAL_TERMINAL'

/** Every way the API reaches this computer, each refused with a code of its own. */
const WAYS = {
  terminal: ['LOCAL_TERMINAL_OFF', 'A terminal on this computer is off in the web dashboard.'],
  server: ['LOCAL_SERVER_OFF', '“This computer” as a server is off in the web dashboard.'],
  folder: ['LOCAL_FOLDER_OFF', 'Deploying a folder of this computer is off in the web dashboard.'],
} as const

export type LocalWay = keyof typeof WAYS

/** Throws when `way` is off for this face; returns otherwise. */
export type LocalGate = (way: LocalWay) => void

/**
 * The desktop app, the CLI and the tests are the user at their computer. The web mode may be reached
 * from another device (a phone on the LAN, a tunnel), where a leaked token would hand out this
 * computer: a shell, its files (a folder deploy sends any folder to a server and a shell there reads
 * it), its Docker (an app on "this computer" runs as the user). So there every such way is off unless
 * the user opted in when starting it.
 */
export function localGate(face: AppInfo['face'], env: NodeJS.ProcessEnv = process.env): LocalGate {
  const open = face !== 'web' || env[WEB_LOCAL_ENV] === '1' || env[WEB_LOCAL_TERMINAL_ENV] === '1'
  return (way) => {
    if (open) return
    const [code, message] = WAYS[way]
    throw new UserError(
      code,
      message,
      `Use the desktop app or the CLI, or start the dashboard with ${WEB_LOCAL_ENV}=1 to allow it (anyone with the dashboard's address and token then reaches this computer: its shell, files and Docker).`,
    )
  }
}

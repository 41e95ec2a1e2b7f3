import { homedir } from 'node:os'
import { join } from 'node:path'

/**
 * The data folder: `HELVETIA_HOME` when set (tests, portable installs), else the OS's application-data
 * folder, the same one Electron's `app.getPath('userData')` would pick for an app named Helvetia.
 */
export function resolveHome(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.HELVETIA_HOME) return env.HELVETIA_HOME
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Helvetia')
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Helvetia')
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Helvetia')
}

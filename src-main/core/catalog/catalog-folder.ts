import { join } from 'node:path'

/**
 * Where this computer keeps a catalogue app's rendered compose file, one folder a template version
 * (`<home>/catalog-apps/<app id>/<version>/compose.yml`): a deploy sends that folder as a folder app's
 * is sent. The file holds no secret value: those stay `${NAME}` in it, their values in the keychain.
 */
export const catalogAppFolder = (home: string, appId: string, version: string): string =>
  join(home, 'catalog-apps', appId, version)

export const CATALOG_COMPOSE_FILE = 'compose.yml'

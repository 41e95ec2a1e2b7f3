/**
 * A compose app's settings as `apps:create` stores them: checked, and for a folder app checked against
 * its compose file, read here (a git app's is read from the commit each deploy fetches).
 */
import type { AppSource } from '../../api/apps'
import type { ComposeSettings } from '../../api/stacks'
import { resolveComposeSettings, validateComposeFilePath } from './compose-settings'
import { readLocalComposeFile } from './stack-source'

export function composeSettingsAtCreate(input: ComposeSettings, source: AppSource): ComposeSettings {
  if (source.kind !== 'folder') return resolveComposeSettings(input)
  const file = readLocalComposeFile(source.path, validateComposeFilePath(input.file))
  return resolveComposeSettings(input, file)
}

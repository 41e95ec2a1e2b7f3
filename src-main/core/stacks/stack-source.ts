/**
 * A compose app's file as a deploy reads it, to check it before anything starts: from the app's folder
 * on this computer, or from the commit the server fetched (stack-file.sh).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ComposeSettings } from '../../api/stacks'
import type { AppSpec } from '../deploy/app-spec'
import { UserError } from '../errors'
import type { ScriptRunner } from '../remote/script-runner'
import type { Target } from '../targets/target'
import { parseComposeFile, type ComposeFile } from './compose-file'
import { resolveComposeSettings } from './compose-settings'

/** The compose file `file` in the folder `folder`. */
export function readLocalComposeFile(folder: string, file: string): ComposeFile {
  const path = join(folder, file)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new UserError(
      'COMPOSE_FILE_MISSING',
      `Cannot read the compose file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`,
      'Give the compose file (--compose FILE), or its path inside the folder (--compose-file).',
      { field: 'compose.file' },
    )
  }
  return parseComposeFile(file, text)
}

/** A compose app's file in its folder (null for an app that is not one). */
export function folderComposeFile(folder: string, compose: ComposeSettings | undefined): ComposeFile | null {
  return compose ? readLocalComposeFile(folder, compose.file) : null
}

/** A git compose app's file at `commit`, which the server fetched already (null for an app that is not one). */
export async function commitComposeFile(
  target: Target,
  scripts: ScriptRunner,
  prefix: string,
  commit: string,
  spec: AppSpec,
): Promise<ComposeFile | null> {
  if (!spec.compose) return null
  const { file } = spec.compose
  const { stdout } = await scripts.call(target, 'stack.file', { prefix, app: spec.name, commit, file })
  return parseComposeFile(file, stdout)
}

/** `spec` with its compose settings checked against its file (none: a rollback runs the file it kept). */
export function composeChecked(spec: AppSpec, file: ComposeFile | null): AppSpec {
  return spec.compose ? { ...spec, compose: resolveComposeSettings(spec.compose, file ?? undefined) } : spec
}

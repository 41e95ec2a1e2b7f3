import { UserError } from '../errors'
import type { TerminalInputs } from '../remote/operations'
import type { ScriptRunner } from '../remote/script-runner'
import type { Target } from '../targets/target'

/** A Docker container name (what `docker run --name` accepts). */
const CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/

/**
 * The input of the `container.shell` terminal, after checking on the server that `container` runs and
 * is this app's, under this prefix (so a stale or forged record cannot open a shell in another
 * container): CONTAINER_NOT_FOUND or CONTAINER_NOT_RUNNING otherwise. The terminal checks again.
 */
export async function containerShellInput(
  scripts: ScriptRunner,
  target: Target,
  container: string,
  owner: { app: string; prefix: string },
  signal?: AbortSignal,
): Promise<TerminalInputs['container.shell']> {
  if (!CONTAINER_NAME.test(container)) {
    throw new UserError(
      'CONTAINER_INVALID',
      `The live deployment of ${owner.app} names an invalid container: ${JSON.stringify(container)}.`,
      'Deploy the app again.',
    )
  }
  const input = { prefix: owner.prefix, app: owner.app, container }
  await scripts.call(target, 'container.check', input, { signal })
  return input
}

import { UserError } from '../errors'
import { sh } from '../shell/quote'
import type { Target } from '../targets/target'

/** A Docker container name (what `docker run --name` accepts). */
const CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/

/** bash when the image has it, else sh: the one shell every image with a shell has. */
const BEST_SHELL = 'command -v bash >/dev/null && exec bash || exec sh'

/**
 * The command line that opens a shell in `container` in a pty, after checking on the server that it
 * runs and is this app's, under this prefix (so a stale or forged record cannot open a shell in
 * another container).
 */
export async function containerShellCommand(
  target: Target,
  container: string,
  owner: { app: string; prefix: string },
  signal?: AbortSignal,
): Promise<string> {
  if (!CONTAINER_NAME.test(container)) {
    throw new UserError(
      'CONTAINER_INVALID',
      `The live deployment of ${owner.app} names an invalid container: ${JSON.stringify(container)}.`,
      'Deploy the app again.',
    )
  }
  const format =
    '{{.State.Running}} {{index .Config.Labels "dev.helvetia.app"}} {{index .Config.Labels "dev.helvetia.prefix"}}'
  const inspected = await target.exec(sh`docker inspect --type container --format ${format} ${container}`, {
    signal,
  })
  const [running, app, prefix] = inspected.stdout.trim().split(' ')
  if (inspected.code !== 0 || app !== owner.app || prefix !== owner.prefix) {
    throw new UserError(
      'CONTAINER_NOT_FOUND',
      `The container of ${owner.app} (${container}) is not on its server.`,
      'Deploy the app again, then open the terminal.',
    )
  }
  if (running !== 'true') {
    throw new UserError(
      'CONTAINER_NOT_RUNNING',
      `The container of ${owner.app} (${container}) is not running.`,
      `See why in its log (\`helvetia logs ${owner.app}\`), then deploy or roll back.`,
    )
  }
  return sh`exec docker exec -it -e TERM=xterm-256color ${container} sh -c ${BEST_SHELL}`
}

import { createHash } from 'node:crypto'

/**
 * The build key identifies what a build produces: an image with the same key is reused instead of
 * built again. The recipe: the SHA-256 of these fields in order, each ended by a NUL byte; the build
 * arguments as `KEY=value`, in the order of the env file. A server deploying a push computes it with
 * `build_key` in remote-scripts/lib/rules.sh, generated from BUILD_KEY_RECIPE.
 */
export const BUILD_KEY_RECIPE = {
  hash: 'sha256',
  separator: '\0',
  fields: ['source id (an upload id or a commit)', 'Dockerfile path', 'each build argument as KEY=value'],
} as const

export interface BuildKeyInput {
  /** The upload's id, or the commit. */
  sourceId: string
  dockerfile: string
  /** The build arguments' `KEY=value` lines, in env file order. */
  buildArgs: readonly string[]
}

export function buildKey({ sourceId, dockerfile, buildArgs }: BuildKeyInput): string {
  const sha = createHash(BUILD_KEY_RECIPE.hash)
  for (const field of [sourceId, dockerfile, ...buildArgs])
    sha.update(`${field}${BUILD_KEY_RECIPE.separator}`)
  return sha.digest('hex')
}

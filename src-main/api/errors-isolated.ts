/**
 * The error catalogue's codes of isolated builds and the server's builder (remote-scripts/lib/
 * build-isolated.sh, builder-config.sh), spread into ./errors.ts.
 */
import type { RaisedBy } from './error-raisers'

export const ISOLATED_BUILD_ERRORS = {
  BUILDER_MISSING: {
    means:
      'The app builds isolated, but the server has no builder (or its image could not be pulled): set one up with `helvetia server builder SERVER --set`, or build with `--builder classic` or `auto`.',
    raisedBy: ['apps:deploy'],
  },
  BUILD_DISK_FULL: {
    means:
      'An isolated build wrote more than the builder’s disk cap (cache included) and was stopped: make the build write less, or raise the cap (`helvetia server builder SERVER --disk SIZE`).',
    raisedBy: ['apps:deploy'],
  },
  BUILDER_IMAGE_MISSING: {
    means: 'The builder image is not on the server and could not be pulled: give one the server can pull.',
    raisedBy: ['builds:builder'],
  },
  BUILDER_IMAGE_INVALID: {
    means:
      'The builder image does not run buildah: give one with buildah in it, such as quay.io/buildah/stable.',
    raisedBy: ['builds:builder'],
  },
} as const satisfies Record<string, { means: string; raisedBy: readonly RaisedBy[] }>

/**
 * The error catalogue's codes of build plans (sources without a Dockerfile: core/builds), spread into
 * ./errors.ts.
 */
import type { RaisedBy } from './error-raisers'

const PLANNING = ['builds:plan', 'apps:deploy'] as const satisfies readonly RaisedBy[]

export const BUILD_ERRORS = {
  NOTHING_TO_BUILD: {
    means:
      'The source has no Dockerfile and no stack Helvetia builds by itself (package.json, requirements.txt or pyproject.toml, go.mod, Gemfile, composer.json, index.html): add a Dockerfile or the manifest of your stack.',
    raisedBy: PLANNING,
  },
  NO_START_COMMAND: {
    means:
      'The stack was recognised but nothing says how to start the app: add a Procfile with a `web:` line (or a start script, a gunicorn/uvicorn dependency, a config.ru, …, as the message says).',
    raisedBy: PLANNING,
  },
  NO_BASE_IMAGE: {
    means:
      'The version the source asks for (.nvmrc, engines, .python-version, go.mod, …) matches none of the base images Helvetia pins: allow one of those the message lists, or add a Dockerfile.',
    raisedBy: PLANNING,
  },
  MANIFEST_INVALID: {
    means: 'A manifest detection reads (package.json, composer.json) is not valid: fix it.',
    raisedBy: PLANNING,
  },
  DOCKERFILE_EXISTS: {
    means:
      '`--eject` would overwrite the Dockerfile the app already has: the source’s own Dockerfile is used as it is, nothing was written.',
    raisedBy: ['builds:plan'],
  },
} as const
